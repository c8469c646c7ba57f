"""The load run: gunicorn serving the generated dataset, locust driving mixed traffic, and the report."""

import csv
import datetime
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from loadtest.generate import dataset_counts, dataset_exists
from loadtest.plan import mix_for, plan_build
from loadtest.production import collect_static, production_env
from loadtest.report import Phase, baseline_most, report_json, report_markdown, results_read, verdicts

LOCUSTFILE = Path(__file__).resolve().parents[2] / "locustfile.py"


class Command(BaseCommand):
    help = (
        "Serve the load-test dataset with gunicorn, drive it with locust (50 concurrent users for 60 s by "
        "default) and write the report: p50/p95/p99 per page and API endpoint, requests per second, "
        "errors and queries per request."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--duration", type=int, default=60, help="Seconds of traffic.")
        parser.add_argument("--workers", type=int, default=5, help="gunicorn worker processes.")
        parser.add_argument(
            "--ramp", type=int, default=10, help="Seconds over which the users start (before each measured phase)."
        )
        parser.add_argument(
            "--warmup", type=int, default=10, help="Seconds of the same traffic first, not measured (cold workers)."
        )
        parser.add_argument(
            "--think",
            default="5-15",
            help="Seconds each user waits between requests, MIN-MAX: a person reading a page or filling in a form.",
        )
        parser.add_argument(
            "--stress-think",
            default="1-3",
            help="A second phase at this faster pace, to show capacity (no targets); 'none' to skip it.",
        )
        parser.add_argument("--report", default="docs/load-report.md", help="Where to write the Markdown report.")
        parser.add_argument(
            "--baseline",
            default="",
            help="The JSON of an earlier run on a smaller dataset: its queries per request are shown beside these.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The load run uses the PostgreSQL dataset: set DATABASE_URL.")
        if not dataset_exists():
            raise CommandError("No load-test dataset here: run loadtest_generate first.")
        users, duration = options["users"], options["duration"]
        if users < 5:
            raise CommandError("Use at least 5 users: one for each part of the mix.")
        baseline = json.loads(Path(options["baseline"]).read_text()) if options["baseline"] else None
        mix = mix_for(users)
        plan = plan_build(mix)
        dataset = dataset_counts()
        paces = [("Realistic pace", _pace(options["think"]))]
        if options["stress_think"] != "none":
            paces.append(("Stress", _pace(options["stress_think"])))
        phases = []
        with tempfile.TemporaryDirectory(prefix="loadtest-") as folder:
            work = Path(folder)
            (work / "plan.json").write_text(json.dumps(plan))
            env = self._server_env()
            self._collect_static(env)
            port = _free_port()
            server = self._start_server(env, port, options["workers"])
            try:
                _wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
                self.stdout.write(f"gunicorn up on port {port}; warming up for {options['warmup']} s ...")
                self._drive(work / "warmup", port, users, options["warmup"], paces[-1][1], options["ramp"])
                for index, (title, think) in enumerate(paces):
                    self.stdout.write(f"{title}: {users} users waiting {think} s, for {duration} s ...")
                    folder_of_phase = work / f"phase{index}"
                    self._drive(folder_of_phase, port, users, duration, think, options["ramp"])
                    queries_file = folder_of_phase / "queries.json"
                    queries = json.loads(queries_file.read_text()) if queries_file.exists() else {}
                    results, total = results_read(folder_of_phase / "run_stats.csv", queries)
                    failures = _failures(folder_of_phase / "run_failures.csv")
                    phases.append(Phase(title, f"{think} s", results, total, failures))
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=30)
        run = {
            "date": datetime.date.today().isoformat(),
            "machine": f"{os.cpu_count()} cores, {platform.system()}, PostgreSQL {_postgres_version()}",
            "workers": options["workers"],
            "users": users,
            "duration": duration,
            "mix": ", ".join(f"{count} {part}" for part, count in mix.items()),
        }
        report = Path(options["report"])
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(report_markdown(phases=phases, run=run, dataset=dataset, baseline=baseline))
        report.with_suffix(".json").write_text(report_json(phases=phases, run=run, dataset=dataset))
        for phase in phases:
            self.stdout.write(f"{phase.title} ({phase.think_time} between requests):")
            for result in [*phase.results, phase.total]:
                self.stdout.write(
                    f"  {result.name:28} {result.requests:6,} req {result.errors:4} err  p50 {result.p50_ms:5.0f}  "
                    f"p95 {result.p95_ms:5.0f}  p99 {result.p99_ms:5.0f} ms  {result.requests_per_second:5.1f}/s  "
                    f"queries {result.queries}"
                )
        for verdict in verdicts(phases[0].results, phases[0].total, baseline_most(baseline)):
            self.stdout.write(f"{'met' if verdict.met else 'NOT MET'}: {verdict.target} ({verdict.measured})")
        self.stdout.write(f"report written to {report} (and {report.with_suffix('.json')})")

    def _server_env(self) -> dict[str, str]:
        # Production settings (DEBUG off, compressed static files), served over plain HTTP locally.
        env = production_env(
            SECURE_SSL_REDIRECT="0",
            SESSION_COOKIE_SECURE="0",
            CSRF_COOKIE_SECURE="0",
            ALLOWED_HOSTS="127.0.0.1",
            DACRRE_QUERY_COUNT_HEADER="1",
        )
        env.pop("DACRRE_LOADTEST", None)  # the server measured has the production apps, without the benchmark
        return env

    def _collect_static(self, env: dict[str, str]) -> None:
        collect_static(env, self.stdout)

    def _start_server(self, env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603 - fixed command
            [sys.executable, "-m", "gunicorn", "dacrre.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", str(workers), "--log-level", "warning"],
            cwd=settings.BASE_DIR,
            env=env,
        )

    def _drive(self, work: Path, port: int, users: int, duration: int, think: str, ramp: int) -> None:
        """Locust for `duration` seconds; statistics and query counts written into `work`."""
        if duration <= 0:
            return
        work.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "LOADTEST_PLAN": str(work.parent / "plan.json"),
            "LOADTEST_QUERIES": str(work / "queries.json"),
            "LOADTEST_THINK": think,
        }
        log = work / "locust.log"
        with log.open("w") as output:
            finished = subprocess.run(  # noqa: S603 - fixed command
                [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--only-summary"]
                # Users start over `ramp` seconds, as people arrive, not in one burst; the statistics
                # are reset once all have started, so `duration` is measured with all of them at work.
                + ["--users", str(users), "--spawn-rate", f"{users / max(ramp, 1):.2f}", "--reset-stats"]
                + ["--run-time", f"{duration + ramp}s"]
                + ["--host", f"http://127.0.0.1:{port}", "--csv", str(work / "run"), "--loglevel", "WARNING"]
                + ["--exit-code-on-error", "0"],
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if finished.returncode != 0:
            raise CommandError(f"locust failed (exit code {finished.returncode}):\n{log.read_text()[-3000:]}")


def _pace(text: str) -> str:
    """'5-15' (seconds, MIN-MAX) checked and returned as given."""
    try:
        low, high = (float(part) for part in text.split("-"))
    except ValueError as exc:
        raise CommandError(f"Give the time between requests as MIN-MAX seconds, e.g. 5-15 (not {text!r}).") from exc
    if not 0 <= low <= high:
        raise CommandError(f"The time between requests must be MIN-MAX with 0 <= MIN <= MAX (not {text!r}).")
    return text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandError(f"gunicorn stopped (exit code {server.returncode}); see its output above.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local http URL
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise CommandError(f"gunicorn did not answer {url} within 60 s.")


def _failures(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return [
            f"{row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']}x)" for row in csv.DictReader(handle)
        ]


def _postgres_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0]).split()[0]
