"""Turns a load run's locust statistics and query counts into the benchmark report (Markdown, with a
JSON copy that a later run can name as its baseline for comparing queries per request)."""

import csv
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# The pages with a latency target, by the names the locustfile gives them.
TARGET_PAGES = ("My caseload", "Case page", "Referral inbox (partner)", "My tasks")
TARGET_P95_MS = 250


@dataclass(frozen=True)
class EndpointResult:
    name: str
    method: str
    requests: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests_per_second: float
    queries_min: int | None
    queries_max: int | None

    @property
    def queries(self) -> str:
        if self.queries_min is None:
            return "-"
        if self.queries_min == self.queries_max:
            return str(self.queries_min)
        return f"{self.queries_min}-{self.queries_max}"


def results_read(stats_csv: Path, queries: dict[str, list[int]]) -> tuple[list[EndpointResult], EndpointResult]:
    """Per-endpoint results sorted by name, and the total over all requests."""
    rows, total = [], None
    with stats_csv.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Request Count"] == "0":
                continue  # made only before the statistics were reset (while users were starting)
            counts = queries.get(row["Name"], [])
            result = EndpointResult(
                name=row["Name"],
                method=row["Type"],
                requests=int(row["Request Count"]),
                errors=int(row["Failure Count"]),
                p50_ms=float(row["50%"]),
                p95_ms=float(row["95%"]),
                p99_ms=float(row["99%"]),
                requests_per_second=float(row["Requests/s"]),
                queries_min=min(counts) if counts else None,
                queries_max=max(counts) if counts else None,
            )
            if row["Name"] == "Aggregated":
                total = result
            else:
                rows.append(result)
    if total is None:
        raise ValueError(f"{stats_csv} has no Aggregated row: the load run did not finish.")
    return sorted(rows, key=lambda r: r.name), total


@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    met: bool


def verdicts(
    results: list[EndpointResult], total: EndpointResult, baseline_most: dict[str, int] | None = None
) -> list[Verdict]:
    """The targets; with `baseline_most` (each request's highest query count on a smaller dataset),
    also whether any request made more queries here."""
    by_name = {r.name: r for r in results}
    found = [
        Verdict(
            f"{name}: p95 under {TARGET_P95_MS} ms",
            f"{by_name[name].p95_ms:.0f} ms",
            by_name[name].p95_ms < TARGET_P95_MS,
        )
        if name in by_name
        else Verdict(f"{name}: p95 under {TARGET_P95_MS} ms", "not requested", False)
        for name in TARGET_PAGES
    ]
    found.append(Verdict("No errors", f"{total.errors:,} of {total.requests:,} requests", total.errors == 0))
    if baseline_most:
        # The lowest count depends on which cases were opened; the highest shows growth.
        compared = [r for r in results if r.name in baseline_most and r.queries_max is not None]
        steady = [r for r in compared if r.queries_max is not None and r.queries_max <= baseline_most[r.name]]
        found.append(
            Verdict(
                "Queries per request independent of data size",
                f"no more than on the baseline dataset for {len(steady)} of {len(compared)} requests",
                bool(compared) and len(steady) == len(compared),
            )
        )
    return found


@dataclass(frozen=True)
class Phase:
    """One measured stretch of traffic: its pace and what was measured."""

    title: str
    think_time: str
    results: list[EndpointResult]
    total: EndpointResult
    failures: list[str]


def baseline_most(baseline: dict[str, Any] | None) -> dict[str, int] | None:
    """Each request's highest query count in a baseline report's JSON."""
    if not baseline:
        return None
    return {r["name"]: r["queries_max"] for r in baseline["results"] if r["queries_max"] is not None}


def _phase_table(phase: Phase, baseline_queries: dict[str, str]) -> list[str]:
    lines = [
        "| Request | Method | Requests | Errors | p50 | p95 | p99 | Requests/s | Queries |"
        + (" Queries at baseline |" if baseline_queries else ""),
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if baseline_queries else ""),
    ]
    for r in [*phase.results, phase.total]:
        name = "**All requests**" if r is phase.total else r.name
        line = (
            f"| {name} | {r.method} | {r.requests:,} | {r.errors:,} | {r.p50_ms:.0f} | {r.p95_ms:.0f} | "
            f"{r.p99_ms:.0f} | {r.requests_per_second:.1f} | {r.queries} |"
        )
        if baseline_queries:
            line += f" {baseline_queries.get(r.name, '-')} |"
        lines.append(line)
    if phase.failures:
        lines += ["", "Errors:", "", *[f"- {failure}" for failure in phase.failures]]
    return lines


def report_markdown(
    *, phases: list[Phase], run: dict[str, Any], dataset: dict[str, int], baseline: dict[str, Any] | None
) -> str:
    """The targets are judged on the first phase (the realistic pace); later phases show capacity."""
    main = phases[0]
    baseline_queries = {r["name"]: r["queries"] for r in baseline["results"]} if baseline else {}
    lines = [
        "# Load and scale benchmark",
        "",
        f"Run on {run['date']} by `manage.py loadtest_run` against gunicorn ({run['workers']} sync workers) "
        f"on {run['machine']}; PostgreSQL, gunicorn and the load generator share the machine. "
        f"{run['users']} concurrent users ({run['mix']}), {run['duration']} s per phase after a warm-up.",
        "",
        f"## Targets ({main.title.lower()})",
        "",
        "| Target | Measured | Met |",
        "| --- | --- | --- |",
        *[
            f"| {v.target} | {v.measured} | {'yes' if v.met else 'NO'} |"
            for v in verdicts(main.results, main.total, baseline_most(baseline))
        ],
    ]
    for phase in phases:
        lines += [
            "",
            f"## {phase.title}: each user waits {phase.think_time} between requests",
            "",
            "Latency in milliseconds. Queries: the database queries each request made, middleware included "
            "(lowest-highest)"
            + (
                f"; beside them the same count on the baseline dataset ({baseline['dataset_label']})."
                if baseline
                else "."
            ),
            "",
            *_phase_table(phase, baseline_queries),
        ]
    lines += ["", "## Dataset", "", "| Rows | Count |", "| --- | ---: |"]
    lines += [f"| {label} | {count:,} |" for label, count in dataset.items()]
    return "\n".join(lines) + "\n"


def report_json(*, phases: list[Phase], run: dict[str, Any], dataset: dict[str, int]) -> str:
    label = f"{dataset.get('cases', 0):,} cases, {dataset.get('incidents', 0):,} incidents"
    return json.dumps(
        {
            "run": run,
            "dataset": dataset,
            "dataset_label": label,
            "results": [{**asdict(r), "queries": r.queries} for r in [*phases[0].results, phases[0].total]],
            "phases": [
                {
                    "title": phase.title,
                    "think_time": phase.think_time,
                    "results": [{**asdict(r), "queries": r.queries} for r in [*phase.results, phase.total]],
                }
                for phase in phases
            ],
        },
        indent=2,
    )
