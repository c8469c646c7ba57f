"""Prove a backup restores: restore a `manage.py backup` dump into a fresh, separate database on the
same server, check it, and drop it.

    RESTORE_CHECK_PASSWORD=... python manage.py backup_restore_check \\
        --dump /backups/dacrre/dacrre-20261127T020000Z.dump --signin-username restore.check

1. the dump's SHA-256 is compared with its manifest's (a damaged or partial file stops here);
2. a new database is created (`<this database>_restore_check_<time>`, or --database) and the dump is
   restored into it with `pg_restore --exit-on-error`, owners and grants included: the roles must
   exist on the server (on a new server, restore them first: `pg_dumpall --roles-only`);
3. `manage.py backup_verify` runs against it in a process of its own, whose DATABASE_URL names the
   restored database, so that everything it does (Django's migration state, authentication) uses
   that database and nothing else: migrations, rows per table against the manifest, the access
   log's trigger, partitions and roles, and a sign-in;
4. the database is dropped, unless --keep.
Run it as the role that runs migrations (it creates and drops a database). Exits non-zero, saying
what failed, when any step fails."""

import datetime
import os
import secrets
import subprocess  # noqa: S404 - runs pg_restore and manage.py, with arguments of our own
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg2 import sql

from ._backup import client_environment, database_url, manifest_path, read_manifest, sha256_of

VERIFY_TIMEOUT_SECONDS = 1800


def verify_restored(database: str, manifest: Path, *, signin_username: str | None) -> subprocess.CompletedProcess[str]:
    """Run `backup_verify` in a process of its own, connected to `database` on this server."""
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "backup_verify", "--manifest", str(manifest)]
    if signin_username:
        command += ["--signin-username", signin_username]
    environment = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict, database)}
    return subprocess.run(  # noqa: S603
        command, env=environment, capture_output=True, text=True, timeout=VERIFY_TIMEOUT_SECONDS, check=False
    )


def _admin_connection() -> Any:
    conn = connection.get_new_connection(connection.get_connection_params())
    conn.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
    return conn


def drop_database(name: str) -> None:
    conn = _admin_connection()
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        conn.close()


class Command(BaseCommand):
    help = "Restore a backup into a fresh database, check it (migrations, rows, access log, sign-in) and drop it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dump", required=True, help="the .dump file written by `manage.py backup`")
        parser.add_argument("--manifest", default=None, help="its manifest (default: <dump>.manifest.json)")
        parser.add_argument("--database", default=None, help="the database to create (default: a new name)")
        parser.add_argument("--keep", action="store_true", help="keep the restored database (drop it yourself)")
        parser.add_argument(
            "--signin-username", default=None, help="a user whose password is in $RESTORE_CHECK_PASSWORD"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(f"The database is {connection.vendor}: this command restores PostgreSQL backups.")
        dump = Path(options["dump"])
        manifest_file = Path(options["manifest"]) if options["manifest"] else manifest_path(dump)
        if not dump.is_file():
            raise CommandError(f"No dump at {dump}.")
        if not manifest_file.is_file():
            raise CommandError(f"No manifest at {manifest_file}: it is written beside the dump by `manage.py backup`.")
        manifest = read_manifest(manifest_file)
        digest = sha256_of(dump)
        if digest != manifest["sha256"]:
            raise CommandError(
                f"{dump.name} is damaged or not the file its manifest describes: its SHA-256 is {digest}, the manifest "
                f"says {manifest['sha256']}. Nothing was restored."
            )
        self.stdout.write(f"ok  file: {dump.name} matches its manifest (sha256 {digest[:16]}...)")
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
        # At most 63 characters, PostgreSQL's limit for a name.
        default_name = f"{connection.settings_dict['NAME'][:29]}_restore_check_{stamp}_{secrets.token_hex(2)}"
        database = options["database"] or default_name
        conn = _admin_connection()
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(database)))
        except Exception as exc:
            raise CommandError(f"Could not create the database {database} to restore into: {exc}") from exc
        finally:
            conn.close()
        try:
            started = time.monotonic()
            restored = subprocess.run(  # noqa: S603
                ["pg_restore", "--exit-on-error", "--no-password", f"--dbname={database}", str(dump)],  # noqa: S607
                env=client_environment(connection.settings_dict, name=database),
                capture_output=True,
                text=True,
                check=False,
            )
            if restored.returncode != 0:
                hint = ""
                if "role" in restored.stderr and "does not exist" in restored.stderr:
                    hint = " Create the roles first: restore `pg_dumpall --roles-only` (see docs/operations.md)."
                raise CommandError(f"pg_restore failed: {restored.stderr.strip()}.{hint}")
            self.stdout.write(f"ok  restore: into {database} in {time.monotonic() - started:.1f} s")
            started = time.monotonic()
            verified = verify_restored(database, manifest_file, signin_username=options["signin_username"])
            self.stdout.write(verified.stdout.rstrip())
            if verified.returncode != 0:
                message = verified.stderr.strip().splitlines()[-1] if verified.stderr.strip() else "see above"
                raise CommandError(f"The restored backup failed its checks: {message}")
            self.stdout.write(f"Checked in {time.monotonic() - started:.1f} s.")
        finally:
            if options["keep"]:
                self.stdout.write(f"Kept the restored database {database}: drop it when done.")
            else:
                drop_database(database)
        self.stdout.write(self.style.SUCCESS(f"The backup {dump.name} restores and passes every check."))
