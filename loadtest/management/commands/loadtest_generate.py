"""Build the load-test dataset (PostgreSQL only) and raise its reminders, printing what was written."""

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dacrre.accounts.benchmarks import add_write_confirmation, refuse_unless_confirmed
from loadtest.generate import Scale, dataset_exists, dataset_generate
from reminders.sweeps import reminders_sweep


class Command(BaseCommand):
    help = (
        "Generate a realistic fictional dataset for the load benchmark. The default is the benchmark's "
        "scale: 40 agencies, 2,000 users, 150,000 people, 1,000,000 incidents, 200,000 cases, "
        "1,000,000 visits, 300,000 referrals."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="Multiply every default count (e.g. 0.01).")
        add_write_confirmation(parser)

    def handle(self, *args: object, **options: object) -> None:
        refuse_unless_confirmed(options)
        if dataset_exists():
            raise CommandError("This database already holds a load-test dataset. Use a fresh database.")
        scale = Scale().times(float(options["scale"]))  # type: ignore[arg-type]
        if problems := scale.problems():
            raise CommandError("The scale is too small: " + "; ".join(problems) + ".")
        started = time.perf_counter()
        counts = dataset_generate(scale)
        self.stdout.write(f"dataset written in {time.perf_counter() - started:.1f} s:")
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count:,}")
        started = time.perf_counter()
        raised = sum(reminders_sweep().values())
        self.stdout.write(f"reminder sweep: {raised:,} tasks raised in {time.perf_counter() - started:.1f} s")
