"""A logical backup of the database: `pg_dump --format=custom`, with a manifest beside it.

    python manage.py backup --output-dir /backups/dacrre

writes `dacrre-<UTC time>.dump` and `dacrre-<UTC time>.dump.manifest.json`. The manifest holds the
dump's SHA-256, the rows of every table, the migrations applied and the access log's owner and
grants, all read in the very snapshot pg_dump copies (`pg_export_snapshot()`, then
`pg_dump --snapshot`), so that they match the dump exactly even while the service is in use.
`manage.py backup_restore_check` restores a dump into a fresh database and checks it against its
manifest. Run it as the role that runs migrations (the superuser): the application's role cannot
read the access log's partitions. See docs/operations.md, "Backup and restore"."""

import datetime
import json
import os
import subprocess  # noqa: S404 - runs pg_dump, with arguments of our own
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from ._backup import (
    MANIFEST_FORMAT,
    access_log_state,
    applied_migrations,
    client_environment,
    manifest_path,
    sha256_of,
    table_counts,
)


def _pg_dump_version() -> str:
    result = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True, check=True)  # noqa: S603,S607
    return result.stdout.strip()


class Command(BaseCommand):
    help = "Back up the database with pg_dump (custom format) and write a manifest of its rows and migrations."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output-dir", required=True, help="the folder to write the dump and its manifest to")
        parser.add_argument("--prefix", default="dacrre", help="the start of the file names (default: dacrre)")

    def handle(self, *args: Any, **options: Any) -> str:
        if connection.vendor != "postgresql":
            raise CommandError(
                f"The database is {connection.vendor}: this command backs up PostgreSQL. For the quick start's "
                'SQLite file, use `sqlite3 var/db.sqlite3 ".backup backup.sqlite3"`.'
            )
        folder = Path(options["output_dir"])
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        dump = folder / f"{options['prefix']}-{stamp}.dump"
        partial = folder / f".{dump.name}.partial"
        started = time.monotonic()
        conn = connection.get_new_connection(connection.get_connection_params())
        try:
            conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot(), current_database(), current_setting('server_version')")
                snapshot, database, server_version = cursor.fetchone()
                counts = table_counts(cursor)
                migrations = applied_migrations(cursor)
                log = access_log_state(cursor)
            # pg_dump reads the same snapshot, which lives while this transaction stays open.
            result = subprocess.run(  # noqa: S603
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={partial}", "--no-password"],  # noqa: S607
                env=client_environment(connection.settings_dict, name=database),
                capture_output=True,
                text=True,
                check=False,
            )
        finally:
            conn.close()
        if result.returncode != 0:
            partial.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        os.chmod(partial, 0o600)
        os.replace(partial, dump)
        manifest = {
            "format": MANIFEST_FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "database": database,
            "server_version": server_version,
            "pg_dump": _pg_dump_version(),
            "dump": dump.name,
            "dump_format": "pg_dump custom (pg_restore)",
            "size": dump.stat().st_size,
            "sha256": sha256_of(dump),
            "tables": counts,
            "migrations": migrations,
            "access_log": log,
        }
        target = manifest_path(dump)
        target.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        os.chmod(target, 0o600)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Backed up {database}: {dump} ({manifest['size']:,} bytes, {sum(counts.values()):,} rows in "
            f"{len(counts)} tables, {seconds:.1f} s); manifest {target}"
        )
        return str(dump)
