"""Benchmark: generate an incident extract of fictional data and run it through the background
import job (check, import, re-import), printing rows per second. Asserts nothing."""

import datetime
import io
import random
import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dacrre.accounts.benchmarks import add_write_confirmation, refuse_unless_confirmed
from dacrre.accounts.models import Agency, AgencyKind, AgencySide, Area, Role, Scope
from dacrre.accounts.services import agency_create, user_create
from incidents.importer import COLUMNS
from incidents.jobs import import_job_run
from incidents.models import ImportStatus, IncidentImport, OffenceCategory

AGENCY = "Import Benchmark Police"
AREAS = ["North", "South", "East", "West", "Central"]
GIVEN = ["Adam", "Ben", "Carl", "Dean", "Eve", "Fay", "Gina", "Hugh", "Ian", "Jade", "Kim", "Liam", "Mia", "Noah"]
FAMILY = ["Archer", "Baker", "Carter", "Dixon", "Ellis", "Fisher", "Grant", "Hughes", "Irwin", "Jarvis", "Knight"]


def generate_extract(rows: int, seed: int = 7) -> str:
    """`rows` incidents over rows/4 perpetrators and rows/3 victims, with one person in 200 written
    with a misspelt name (so matching has likely duplicates to find)."""
    rng = random.Random(seed)  # noqa: S311 - fictional data, not security
    start = datetime.datetime(2021, 1, 1)

    def letters(number: int) -> str:
        # Names compare on letters only, so numbers become letters: 0 -> "a", 27 -> "bb".
        text = ""
        while True:
            number, digit = divmod(number, 26)
            text += "abcdefghijklmnopqrstuvwxyz"[digit]
            if not number:
                return text

    def person(prefix: str, number: int) -> list[str]:
        given = GIVEN[number % len(GIVEN)]
        family = f"{FAMILY[number % len(FAMILY)]}-{letters(number)}"
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=(number * 37) % 15000)
        if rng.random() < 0.005:
            family = family[:-1] + ("x" if family[-1] != "x" else "y")
            return ["", given, family, born.isoformat()]
        return [f"{prefix}{number:07d}", given, family, born.isoformat()]

    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    categories = list(OffenceCategory.values)
    for number in range(rows):
        occurred = start + datetime.timedelta(minutes=rng.randrange(0, 5 * 365 * 24 * 60))
        category = rng.choice(categories)
        values = [
            f"BM/{number:08d}",
            occurred.strftime("%Y-%m-%d %H:%M"),
            rng.choice(AREAS),
            category,
            "no" if category == "non_crime" else "yes",
            rng.choice(["yes", "no"]),
            rng.choice(["no", "no", "no", "yes"]),
            *person("BP", rng.randrange(max(rows // 4, 1))),
            *person("BV", 10_000_000 + rng.randrange(max(rows // 3, 1))),
            "Fictional benchmark incident",
        ]
        out.write(",".join(values) + "\n")
    return out.getvalue()


class Command(BaseCommand):
    help = "Time the incident import job on a generated extract (writes to the database)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=100_000)
        add_write_confirmation(parser)

    def handle(self, *args: object, **options: object) -> None:
        refuse_unless_confirmed(options, needs_postgresql=False)  # the import runs on any database
        rows = int(options["rows"])  # type: ignore[call-overload]
        agency = Agency.objects.filter(name=AGENCY).first() or agency_create(
            name=AGENCY, kind=AgencyKind.POLICE, side=AgencySide.BOTH, areas=AREAS
        )
        analyst = agency.users.filter(role=Role.ANALYST).first() or user_create(
            username="import-benchmark-analyst",
            password=None,
            agency=agency,
            area=Area.objects.filter(agency=agency).first(),
            role=Role.ANALYST,
            scope=Scope.AGENCY,
        )
        started = time.perf_counter()
        content = generate_extract(rows)
        self.stdout.write(
            f"generated {rows:,} rows ({len(content) / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s"
        )
        job = IncidentImport.objects.create(
            agency=agency,
            uploaded_by=analyst,
            filename="benchmark.csv",
            content=content,
            rows_total=rows,
            status=ImportStatus.WAITING_CHECK,
        )
        for label, dry_run, waiting in [
            ("check (dry run)", True, ImportStatus.WAITING_CHECK),
            ("import", False, ImportStatus.WAITING_IMPORT),
            ("re-import of the same file", False, ImportStatus.WAITING_IMPORT),
        ]:
            IncidentImport.objects.filter(pk=job.pk).update(status=waiting)
            started = time.perf_counter()
            import_job_run(job.pk, dry_run=dry_run)
            elapsed = time.perf_counter() - started
            job.refresh_from_db()
            report = job.report
            if report.get("errors"):
                raise CommandError(f"The extract was refused: {report['errors'][:3]}")
            self.stdout.write(
                f"{label}: {rows:,} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows per second; "
                f"{report['created_count']:,} new, {report['updated_count']:,} changed, {report['unchanged']:,} "
                f"unchanged; {report['people_created']:,} people new, {report['people_matched']:,} matched, "
                f"{report['likely_duplicates']:,} likely duplicates"
            )
