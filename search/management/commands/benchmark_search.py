"""Benchmark: time the header search on the load benchmark's dataset (`loadtest_generate`, see
docs/load-benchmark.md) for the roles that search, by kind of query. Prints figures; asserts nothing
(target: the results page in under 200 ms at the benchmark's full scale). It signs its users in with
a session of their own and its searches go on the access log, as in service."""

import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from cases.selectors import caseload_for, cases_visible_to
from dacrre.accounts.benchmarks import add_write_confirmation, refuse_unless_confirmed, signed_in_session
from dacrre.accounts.models import AgencyKind, Role, Scope, User
from people.matching import NICKNAMES
from people.models import Person
from search.query import parse
from search.selectors import search_for

TARGET_MS = 200


@dataclass
class Searcher:
    label: str
    user: User


def _slip(word: str) -> str:
    """One letter changed, as a person mistyping a name does."""
    i = len(word) // 2
    return word[:i] + ("a" if word[i] != "a" else "e") + word[i + 1 :]


def _nickname(given: str) -> str:
    key = given.lower()
    for full, shorts in NICKNAMES.items():
        if key == full:
            return sorted(shorts)[0]
        if key in shorts:
            return full
    return given


class Command(BaseCommand):
    help = "Time the header search on the load benchmark's dataset (PostgreSQL; writes sessions and log rows)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=15, help="Timed runs of each search (after one warm-up).")
        add_write_confirmation(parser)

    def handle(self, *args: object, **options: object) -> None:
        refuse_unless_confirmed(options)
        runs = int(options["runs"])  # type: ignore[call-overload]
        cases = Case.objects.count()
        if not cases:
            raise CommandError("No cases: build the load benchmark's dataset first (manage.py loadtest_generate).")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE people_person")
        self.stdout.write(f"dataset: {Person.objects.count():,} people, {cases:,} cases")
        worst = 0.0
        for searcher in self._searchers():
            queries = self._queries(searcher.user)
            client = Client(SERVER_NAME="localhost")
            client.cookies[settings.SESSION_COOKIE_NAME] = signed_in_session(searcher.user)
            self.stdout.write(f"{searcher.label} ({cases_visible_to(searcher.user).count():,} cases visible):")
            for kind, text in queries:
                selector, page, count, results = self._time(client, searcher.user, text, runs)
                worst = max(worst, statistics.median(page))
                self.stdout.write(
                    f"  {kind:<28} {text!r:<32} {results:>3} results; selector {statistics.median(selector):6.1f} ms"
                    f" median; page {statistics.median(page):6.1f} ms median, {max(page):6.1f} ms max of {runs};"
                    f" {count} queries"
                )
        verdict = "met" if worst < TARGET_MS else "NOT met"
        self.stdout.write(f"slowest results page (median): {worst:.1f} ms; target {TARGET_MS} ms {verdict}")

    def _time(self, client: Client, user: User, text: str, runs: int) -> tuple[list[float], list[float], int, int]:
        query = parse(text)
        search_for(user, query)  # warm-up
        client.get("/search/", {"q": text}, HTTP_HOST="localhost", secure=True)
        selector, page = [], []
        results = 0
        for _ in range(runs):
            started = time.perf_counter()
            results = len(search_for(user, query))
            selector.append((time.perf_counter() - started) * 1000)
        count = 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/search/", {"q": text}, HTTP_HOST="localhost", secure=True)
                page.append((time.perf_counter() - started) * 1000)
            count = len(captured)
            if response.status_code != 200:
                raise CommandError(f"The results page answered {response.status_code}")
        return selector, page, count, results

    def _searchers(self) -> list[Searcher]:
        police = User.objects.filter(agency__kind=AgencyKind.POLICE, is_active=True)
        found = [
            ("force supervisor (whole force)", police.filter(role=Role.SUPERVISOR, scope=Scope.AGENCY)),
            ("area supervisor", police.filter(role=Role.SUPERVISOR, scope=Scope.AREA)),
            ("officer (own caseload)", police.filter(role=Role.OFFICER, cases_as_spoc__isnull=False)),
            ("IDVA", User.objects.filter(role=Role.IDVA, cases_as_idva__isnull=False)),
            (
                "probation caseworker",
                User.objects.filter(agency__kind=AgencyKind.PROBATION, role=Role.PARTNER_CASEWORKER),
            ),
        ]
        searchers = []
        for label, users in found:
            user = users.order_by("pk").first()
            if user is not None:
                searchers.append(Searcher(label, user))
        return searchers

    def _queries(self, user: User) -> list[tuple[str, str]]:
        """Searches for someone the user sees (a perpetrator of a case of theirs) and one for a common
        name, as people type them."""
        mine = (
            caseload_for(user).select_related("perpetrator__person")[:20]
            or cases_visible_to(user).select_related("perpetrator__person")[:20]
        )
        chosen = list(mine)
        case = chosen[user.pk % len(chosen)] if chosen else Case.objects.select_related("perpetrator__person").first()
        if case is None:
            raise CommandError("No case to search for.")
        person = case.perpetrator.person
        born = person.date_of_birth.strftime("%d/%m/%Y") if person.date_of_birth else "01/01/1980"
        return [
            ("full name", f"{person.given_name} {person.family_name}"),
            ("nickname, misspelt family", f"{_nickname(person.given_name)} {_slip(person.family_name)}"),
            ("family name first", f"{person.family_name} {person.given_name}"),
            ("family name alone (common)", person.family_name),
            ("date of birth", born),
            ("name and date of birth", f"{person.given_name} {person.family_name} {born}"),
            ("police identifier", person.police_identifier or "LT1"),
            ("case reference", case.reference),
        ]
