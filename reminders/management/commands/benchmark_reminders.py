"""Benchmark: generate open cases with visits, reviews, safety plans and orders falling due (SQL on
PostgreSQL), then time a full reminder sweep and count its queries. Prints figures; asserts nothing
(target: under 5 s for 200,000 open cases, with the same number of queries at any size)."""

import statistics
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from cases.models import Operation
from dacrre.accounts.benchmarks import add_write_confirmation, refuse_unless_confirmed
from dacrre.accounts.models import Agency, AgencyKind, AgencySide, Role, Scope
from dacrre.accounts.services import agency_create, user_create
from reminders.models import Reminder
from reminders.sweeps import reminders_sweep

AGENCY = "Reminder Benchmark Police"


class Command(BaseCommand):
    help = "Time a full reminder sweep over many open cases (PostgreSQL only; writes to the database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=200_000)
        add_write_confirmation(parser)

    def handle(self, *args: object, **options: object) -> None:
        refuse_unless_confirmed(options)
        cases = int(options["cases"])  # type: ignore[call-overload]
        if not Agency.objects.filter(name=AGENCY).exists():
            started = time.perf_counter()
            self._generate(cases)
            self.stdout.write(f"generated {cases:,} open cases in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings, queries, raised = [], [], 0
        for _ in range(3):
            Reminder.objects.all().delete()  # each run raises everything from nothing (a cold start)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                inserted = reminders_sweep()
                timings.append(time.perf_counter() - started)
            queries.append(len(captured))
            raised = sum(inserted.values())
        self.stdout.write(
            f"full sweep from empty (cold start): {raised:,} reminders raised; {min(timings):.2f} s best, "
            f"{statistics.median(timings):.2f} s median of 3; {queries[-1]} queries"
        )
        again_timings = []
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                again = sum(reminders_sweep().values())
                again_timings.append(time.perf_counter() - started)
        self.stdout.write(
            f"sweep again, every open case checked (the 15-minute job): {again} raised; "
            f"{min(again_timings):.2f} s best, {statistics.median(again_timings):.2f} s median of 3; "
            f"{len(captured)} queries"
        )

    @transaction.atomic
    def _generate(self, cases: int) -> None:
        agency = agency_create(
            name=AGENCY, kind=AgencyKind.POLICE, side=AgencySide.BOTH, areas=["North", "South", "West"]
        )
        officer = user_create(
            username="reminder.bench.officer", password=None, agency=agency, role=Role.OFFICER, scope=Scope.ASSIGNED
        )
        operation = Operation.objects.create(name="Reminder benchmark", lead_agency=agency, starts_on="2026-01-01")
        areas = list(agency.areas.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO people_person (public_id, given_name, family_name, date_of_birth, gender,"
                " police_identifier, created_at, updated_at)"
                " SELECT gen_random_uuid(), 'Given' || i, 'Family' || i, NULL, 'not_known', 'REMB' || i, now(), now()"
                " FROM generate_series(1, %s) AS i",
                [cases * 2],
            )
            cursor.execute("SELECT min(id) FROM people_person WHERE police_identifier LIKE 'REMB%%'")
            first = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO perpetrators_perpetrator (public_id, person_id, warning_markers, created_at, updated_at)"
                " SELECT gen_random_uuid(), id, '', now(), now() FROM people_person WHERE id >= %s AND id < %s",
                [first, first + cases],
            )
            cursor.execute(
                "INSERT INTO victims_victim (public_id, person_id, created_at, updated_at)"
                " SELECT gen_random_uuid(), id, now(), now() FROM people_person WHERE id >= %s AND id < %s",
                [first + cases, first + 2 * cases],
            )
            # Due dates spread over 60 days either side of today: about half are due or overdue.
            cursor.execute(
                "INSERT INTO cases_case (public_id, reference, operation_id, perpetrator_id, owning_agency_id,"
                " area_id, spoc_id, status, risk_level, next_perpetrator_visit_due, risk_review_due, opened_at,"
                " created_at, updated_at)"
                " SELECT gen_random_uuid(), 'RB-' || p.id, %s, p.id, %s, (ARRAY[%s, %s, %s])[1 + p.id %% 3], %s,"
                " 'active', (ARRAY['standard','medium','high'])[1 + p.id %% 3],"
                " current_date + (random() * 120 - 60)::int, current_date + (random() * 120 - 60)::int,"
                " now(), now(), now()"
                " FROM perpetrators_perpetrator p JOIN people_person pp ON pp.id = p.person_id"
                " WHERE pp.police_identifier LIKE 'REMB%%'",
                [operation.pk, agency.pk, *areas, officer.pk],
            )
            cursor.execute(
                "INSERT INTO cases_casevictim (case_id, victim_id, next_visit_due, created_at, updated_at)"
                " SELECT c.id, v.id, current_date + (random() * 120 - 60)::int, now(), now()"
                " FROM cases_case c JOIN perpetrators_perpetrator p ON p.id = c.perpetrator_id"
                " JOIN victims_victim v ON v.person_id = p.person_id + %s"
                " WHERE c.owning_agency_id = %s",
                [cases, agency.pk],
            )
            cursor.execute(
                "INSERT INTO safety_plans_safetyplan (public_id, case_id, victim_id, version, review_due)"
                " SELECT gen_random_uuid(), case_id, victim_id, 1, current_date + (random() * 120 - 60)::int"
                " FROM cases_casevictim cv JOIN cases_case c ON c.id = cv.case_id WHERE c.owning_agency_id = %s",
                [agency.pk],
            )
            cursor.execute(
                "INSERT INTO orders_protectiveorder (public_id, case_id, kind, reference, starts_on, ends_on,"
                " conditions, recorded_by_id, recorded_at)"
                " SELECT gen_random_uuid(), id, 'dvpo', '', current_date - 20, current_date + (random() * 30)::int,"
                " 'No contact', %s, now() FROM cases_case WHERE owning_agency_id = %s AND id %% 10 = 0",
                [officer.pk, agency.pk],
            )
