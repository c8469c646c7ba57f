"""Benchmark: the performance report and accountability pack (the same sections) for the force with
the most cases, on the load benchmark's dataset (`loadtest_generate`, docs/load-benchmark.md), the
default period (the last 12 months) and one area. Prints the median time of each section and of the
whole; asserts nothing (target: the whole report in under 2 s at the benchmark's full scale). Reads
only."""

import statistics
import time
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from dacrre.accounts.models import Agency, Area
from reports.accountability import Scope, disclosures_section, evaluation_section, orders_section, rates_section
from reports.forms import PeriodForm
from reports.pack import report_sections
from reports.selectors import Period, performance_report

TARGET_S = 2.0


def _median(call: Callable[[], object], runs: int) -> tuple[float, int]:
    call()  # warm
    times = []
    with CaptureQueriesContext(connection) as queries:
        call()
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), len(queries)


class Command(BaseCommand):
    help = "Time the performance report and accountability pack at the benchmark's scale (reads only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=5, help="Timed runs of each (after one warm-up).")

    def handle(self, *args: object, **options: object) -> None:
        runs = int(options["runs"])  # type: ignore[call-overload]
        busiest = (
            Case.objects.values("owning_agency")
            .annotate(n=Count("pk"))
            .order_by("-n")
            .values_list("owning_agency", "n")
        ).first()
        if busiest is None:
            raise CommandError("No cases: generate the benchmark's dataset first (docs/load-benchmark.md).")
        agency = Agency.objects.get(pk=busiest[0])
        period = Period(*PeriodForm.default_period())
        today = timezone.localdate()
        area = Area.objects.filter(agency=agency).order_by("pk").first()
        self.stdout.write(
            f"{agency.name}: {busiest[1]:,} cases; {Case.objects.count():,} in all. Period {period.start} to "
            f"{period.end}; median of {runs} runs after a warm-up.\n"
        )
        self.stdout.write(f"{'part':<52} {'all areas':>12} {'one area':>12} {'queries':>8}")
        for label, build in (
            (
                "performance report (with the apps' sections)",
                lambda a: performance_report(agency=agency, period=period, area_id=a),
            ),
            ("repeats", lambda a: rates_section(Scope(agency, period, a))),
            ("orders by type and route", lambda a: orders_section(Scope(agency, period, a))),
            ("Clare's Law", lambda a: disclosures_section(Scope(agency, period, a))),
            ("evaluation", lambda a: evaluation_section(Scope(agency, period, a), today=today)),
            (
                "WHOLE REPORT / PACK",
                lambda a: report_sections(agency=agency, period=period, area_id=a, operation_id=None, today=today),
            ),
        ):
            whole, queries = _median(lambda build=build: build(None), runs)  # type: ignore[misc]
            one, _ = _median(lambda build=build: build(area.pk if area else None), runs)  # type: ignore[misc]
            self.stdout.write(f"{label:<52} {whole * 1000:>9.0f} ms {one * 1000:>9.0f} ms {queries:>8}")
        self.stdout.write(f"\nTarget: the whole report under {TARGET_S:.0f} s.")
