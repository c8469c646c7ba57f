"""Make the access log append-only at the database, whoever the application connects as.

Run by the database superuser (the role that runs `migrate`), after every `migrate`; idempotent:

    APP_DATABASE_URL=postgres://dacrre_app:...@host/dacrre python manage.py access_log_roles

- `dacrre_audit_owner` (NOLOGIN) owns `audit_accesslog`, its id sequence and its append-only
  trigger function. Only an owner (or a superuser) may ALTER, DROP, TRUNCATE the table or disable
  its trigger, and nobody logs in as this role.
  On PostgreSQL the log is partitioned by month: the owner owns every partition too, and may create
  tables in the schema (new partitions); nobody else has any right on a partition itself.
- The application's role (the user in APP_DATABASE_URL, created with its password when missing)
  may SELECT and INSERT the log and use its sequence, nothing more; on every other table of the
  schema it may read and write rows (SELECT, INSERT, UPDATE, DELETE), but it owns nothing and
  cannot create tables, so migrations are never run as it.
- The partition jobs' login (the user in ACCESS_LOG_OWNER_DATABASE_URL, when set; created with its
  password when missing) is a member of the owner role and nothing else: the scheduled jobs that
  create partitions and archive and drop old ones connect as it (dacrre/audit/partitions.py).

On SQLite there are no roles: the command says so and changes nothing."""

import os
from typing import Any
from urllib.parse import unquote, urlparse

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from psycopg2 import sql

LOG_TABLE = "audit_accesslog"
TRIGGER_FUNCTION = "audit_accesslog_refuse_change()"


def _role_exists(cursor: Any, role: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


class Command(BaseCommand):
    help = "Give the access log to a NOLOGIN owner role; the application's role may only INSERT and SELECT it."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--app-url",
            default=None,
            help="postgres://role:password@host/db of the application's connection (default: $APP_DATABASE_URL)",
        )
        parser.add_argument("--app-role", default=None, help="the application's role, if --app-url is not given")
        parser.add_argument("--owner-role", default="dacrre_audit_owner", help="the NOLOGIN role that owns the log")
        parser.add_argument(
            "--partitions-url",
            default=None,
            help="postgres://role:password@host/db of the partition jobs' login, a member of the owner role "
            "(default: $ACCESS_LOG_OWNER_DATABASE_URL; none: no such login)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write(
                f"Skipped: the database is {connection.vendor}, which has no roles. The access log's "
                "append-only rule is kept by the application alone (see docs/operations.md)."
            )
            return
        app_role, password = options["app_role"], None
        url = options["app_url"] or os.environ.get("APP_DATABASE_URL", "")
        if url:
            parsed = urlparse(url)
            app_role, password = unquote(parsed.username or ""), unquote(parsed.password or "") or None
        if not app_role:
            raise CommandError("Give the application's role: --app-url, --app-role or APP_DATABASE_URL.")
        owner = options["owner_role"]
        if app_role == owner:
            raise CommandError("The application's role and the log's owner must be different roles.")
        jobs_role, jobs_password = None, None
        jobs_url = options["partitions_url"] or os.environ.get("ACCESS_LOG_OWNER_DATABASE_URL", "")
        if jobs_url:
            parsed = urlparse(jobs_url)
            jobs_role, jobs_password = unquote(parsed.username or ""), unquote(parsed.password or "") or None
            if jobs_role in {app_role, owner}:
                raise CommandError(
                    "The partition jobs' login must be a role of its own: neither the application's role nor the "
                    "log's owner."
                )
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_database()")
            current_user, database = cursor.fetchone()
            if app_role == current_user:
                raise CommandError(
                    f"This connection is {app_role}, the application's role: run the command as the role that "
                    "runs migrations (the database superuser)."
                )
            self._ensure_roles(cursor, owner=owner, app_role=app_role, password=password)
            self._apply(cursor, owner=owner, app_role=app_role, database=database, migrator=current_user)
            if jobs_role:
                self._ensure_jobs_role(
                    cursor, owner=owner, app_role=app_role, role=jobs_role, password=jobs_password, database=database
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"{LOG_TABLE} is owned by {owner} (NOLOGIN); {app_role} may SELECT and INSERT it, and read and "
                "write the other tables."
                + (f" {jobs_role} may act as {owner} for the partition jobs." if jobs_role else "")
            )
        )

    def _ensure_roles(self, cursor: Any, *, owner: str, app_role: str, password: str | None) -> None:
        if not _role_exists(cursor, owner):
            cursor.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(owner)))
        else:
            cursor.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(sql.Identifier(owner)))
        if not _role_exists(cursor, app_role):
            if password is None:
                raise CommandError(f"The role {app_role} does not exist: give its password in --app-url to create it.")
            cursor.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(app_role), sql.Literal(password))
            )
        elif password is not None:
            cursor.execute(
                sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(app_role), sql.Literal(password))
            )
        # Whatever it was given before: an ordinary login, never one that could bypass the rules.
        cursor.execute(
            sql.SQL("ALTER ROLE {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION").format(
                sql.Identifier(app_role)
            )
        )
        # Never a member of the owner: it could SET ROLE to it (PostgreSQL only warns if it is not one).
        cursor.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(owner), sql.Identifier(app_role)))

    def _apply(self, cursor: Any, *, owner: str, app_role: str, database: str, migrator: str) -> None:
        app, owner_id = sql.Identifier(app_role), sql.Identifier(owner)
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [LOG_TABLE])
        sequence = cursor.fetchone()[0]
        statements = [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), app),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(app),
            # Rows of every table; the app owns none, so it cannot alter, drop or truncate any.
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(app),
            sql.SQL("GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {}").format(app),
            # Tables a later migration creates (as the migrator) get the same.
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public"
                " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
            ).format(sql.Identifier(migrator), app),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES FOR ROLE {} IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {}"
            ).format(sql.Identifier(migrator), app),
            # The log: its owner is a role nobody logs in as.
            sql.SQL("ALTER TABLE {} OWNER TO {}").format(sql.Identifier(LOG_TABLE), owner_id),
            sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(TRIGGER_FUNCTION), owner_id),
            sql.SQL("REVOKE ALL ON TABLE {} FROM PUBLIC, {}").format(sql.Identifier(LOG_TABLE), app),
            sql.SQL("GRANT SELECT, INSERT ON TABLE {} TO {}").format(sql.Identifier(LOG_TABLE), app),
            sql.SQL("REVOKE ALL ON SEQUENCE {} FROM PUBLIC, {}").format(sql.SQL(sequence), app),
            sql.SQL("GRANT USAGE ON SEQUENCE {} TO {}").format(sql.SQL(sequence), app),
            sql.SQL("REVOKE ALL ON FUNCTION {} FROM PUBLIC").format(sql.SQL(TRIGGER_FUNCTION)),
        ]
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = %s::regclass",
            [LOG_TABLE],
        )
        partitions = [row[0] for row in cursor.fetchall()]
        if partitions:
            # The owner makes the months ahead (dacrre/audit/partitions.py).
            statements.append(sql.SQL("GRANT CREATE ON SCHEMA public TO {}").format(owner_id))
        for partition in partitions:
            # Every partition is the owner's, and nobody else's: the application reads and writes
            # through the partitioned table, and the GRANT on ALL TABLES above reached the partitions.
            statements.append(sql.SQL("ALTER TABLE {} OWNER TO {}").format(sql.Identifier(partition), owner_id))
            statements.append(sql.SQL("REVOKE ALL ON TABLE {} FROM PUBLIC, {}").format(sql.Identifier(partition), app))
        for statement in statements:
            cursor.execute(statement)

    def _ensure_jobs_role(
        self, cursor: Any, *, owner: str, app_role: str, role: str, password: str | None, database: str
    ) -> None:
        jobs = sql.Identifier(role)
        if not _role_exists(cursor, role):
            if password is None:
                raise CommandError(f"The role {role} does not exist: give its password in the URL to create it.")
            cursor.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(jobs, sql.Literal(password)))
        elif password is not None:
            cursor.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(jobs, sql.Literal(password)))
        cursor.execute(
            sql.SQL("ALTER ROLE {} NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION").format(jobs)
        )
        for statement in (
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), jobs),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(jobs),
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(owner), jobs),
            # The application may not become the jobs' login, and through it the owner.
            sql.SQL("REVOKE {} FROM {}").format(jobs, sql.Identifier(app_role)),
        ):
            cursor.execute(statement)
