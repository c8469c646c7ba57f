"""List the access log's month partitions, create the months ahead, or archive and drop the ones older
than the log's retention: what the scheduled jobs do, by hand (see docs/operations.md)."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from dacrre.audit.partitions import (
    AccessLogOwnerError,
    access_log_partitions_archive,
    access_log_partitions_ensure,
    access_log_partitions_list,
)


class Command(BaseCommand):
    help = "List, create ahead, or archive and drop the access log's month partitions (PostgreSQL)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--ensure", action="store_true", help="create the partitions of the months ahead")
        parser.add_argument(
            "--archive",
            action="store_true",
            help=f"export to ACCESS_LOG_ARCHIVE_DIR and drop the months older than ACCESS_LOG_RETENTION_MONTHS "
            f"({settings.ACCESS_LOG_RETENTION_MONTHS})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write(
                f"Skipped: the database is {connection.vendor}; the access log is partitioned on PostgreSQL only."
            )
            return
        try:
            if options["ensure"]:
                created = access_log_partitions_ensure()
                self.stdout.write(f"Created: {', '.join(created)}" if created else "No partition was missing.")
            if options["archive"]:
                for done in access_log_partitions_archive():
                    self.stdout.write(
                        f"{done.partition}: {done.rows} rows archived to {done.path} (sha256 {done.sha256}), dropped"
                    )
        except AccessLogOwnerError as exc:
            raise CommandError(str(exc)) from exc
        with connection.cursor() as cursor:
            for partition in access_log_partitions_list(cursor):
                cursor.execute(f'SELECT count(*) FROM "{partition.name}"')  # noqa: S608 - a name from the catalogue
                rows = cursor.fetchone()[0]
                span = "default" if partition.is_default else f"{partition.start:%Y-%m-%d} to {partition.end:%Y-%m-%d}"
                self.stdout.write(f"{partition.name}\t{span}\t{rows} rows")
