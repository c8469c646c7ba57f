"""Benchmark: build a large fictional dataset on PostgreSQL, then time scoring every perpetrator and
the ranked list page. Prints figures; asserts nothing (targets: scoring < 10 s, page < 300 ms)."""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.test import Client

from dacrre.accounts.benchmarks import add_write_confirmation, refuse_unless_confirmed, signed_in_session
from dacrre.accounts.models import Agency, AgencyKind, AgencySide, Role, Scope
from dacrre.accounts.services import agency_create, user_create
from scoring.scoring_sql import scores_select_sql
from scoring.services import scores_refresh

AGENCY = "Benchmark Police"


class Command(BaseCommand):
    help = "Time RFG-V scoring on a large generated dataset (PostgreSQL only; writes to the database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--incidents", type=int, default=1_000_000)
        parser.add_argument("--people", type=int, default=150_000)
        add_write_confirmation(parser)

    def handle(self, *args: object, **options: object) -> None:
        refuse_unless_confirmed(options)
        incidents, people = int(options["incidents"]), int(options["people"])  # type: ignore[call-overload]
        agency = Agency.objects.filter(name=AGENCY).first()
        if agency is None:
            started = time.perf_counter()
            agency = self._generate(incidents=incidents, people=people)
            self.stdout.write(
                f"generated {people:,} people and {incidents:,} incidents in {time.perf_counter() - started:.1f} s"
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            # What the nightly refresh runs: one set-based statement, every row fetched.
            sql, params = scores_select_sql(agency=agency)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                scored = len(cursor.fetchall())
            timings.append(time.perf_counter() - started)
        self.stdout.write(
            f"scoring every perpetrator: {scored:,} scored; "
            f"{min(timings):.2f} s best, {statistics.median(timings):.2f} s median of 3"
        )
        started = time.perf_counter()
        stored = scores_refresh(agency=agency)
        self.stdout.write(
            f"storing the scores (all areas and each area): {stored:,} rows in {time.perf_counter() - started:.1f} s"
        )
        analyst = agency.users.get(role=Role.ANALYST)
        client = Client(SERVER_NAME="localhost")
        client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(analyst)  # both factors, as in service
        page = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get("/scoring/", HTTP_HOST="localhost", secure=True)
            page.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"The ranked list page answered {response.status_code}")
        self.stdout.write(
            f"ranked list page (top 100): {statistics.median(page) * 1000:.0f} ms median of 5, "
            f"status {response.status_code}"
        )

    @transaction.atomic
    def _generate(self, *, incidents: int, people: int) -> Agency:
        agency = agency_create(
            name=AGENCY, kind=AgencyKind.POLICE, side=AgencySide.BOTH, areas=["North", "South", "West"]
        )
        user_create(username="bench.analyst", password=None, agency=agency, role=Role.ANALYST, scope=Scope.AGENCY)
        perpetrators = people // 3
        areas = list(agency.areas.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO people_person (public_id, given_name, family_name, date_of_birth, gender,"
                " police_identifier, created_at, updated_at)"
                " SELECT gen_random_uuid(), 'Given' || i, 'Family' || i, DATE '1960-01-01' + (i %% 15000),"
                " 'not_known', 'BENCH' || i, now(), now() FROM generate_series(1, %s) AS i",
                [people],
            )
            cursor.execute("SELECT min(id) FROM people_person WHERE police_identifier LIKE 'BENCH%%'")
            first = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO perpetrators_perpetrator (public_id, person_id, warning_markers, created_at, updated_at)"
                " SELECT gen_random_uuid(), id, '', now(), now() FROM people_person"
                " WHERE id >= %s AND id < %s",
                [first, first + perpetrators],
            )
            cursor.execute(
                "INSERT INTO victims_victim (public_id, person_id, created_at, updated_at)"
                " SELECT gen_random_uuid(), id, now(), now() FROM people_person WHERE id >= %s AND id < %s",
                [first + perpetrators, first + people],
            )
            cursor.execute("SELECT min(id), max(id) FROM perpetrators_perpetrator")
            p_min, p_max = cursor.fetchone()
            cursor.execute("SELECT min(id), max(id) FROM victims_victim")
            v_min, v_max = cursor.fetchone()
            cursor.execute(
                "INSERT INTO incidents_incident (public_id, source_reference, occurred_at, area_id,"
                " recording_agency_id, offence_category, is_crime, perpetrator_id, injury, weapon_used, summary,"
                " created_at, updated_at)"
                " SELECT gen_random_uuid(), 'BENCH/' || i, now() - (random() * interval '730 days'),"
                " (ARRAY[%s, %s, %s])[1 + i %% 3], %s,"
                " (ARRAY['abh','common_assault','stalking','harassment','gbh','strangulation','threats_to_kill',"
                "'criminal_damage','non_crime','coercive_control'])[1 + (random() * 9)::int], true,"
                " %s + (random() * (%s - %s))::bigint, false, false, '', now(), now()"
                " FROM generate_series(1, %s) AS i",
                [*areas, agency.pk, p_min, p_max, p_min, incidents],
            )
            cursor.execute(
                "INSERT INTO incidents_incident_victims (incident_id, victim_id)"
                " SELECT id, %s + (random() * (%s - %s))::bigint FROM incidents_incident"
                " WHERE recording_agency_id = %s",
                [v_min, v_max, v_min, agency.pk],
            )
        return agency
