"""Check the database this process is connected to against a backup's manifest: after a restore,
before the service is opened again (`backup_restore_check` runs it on a throwaway copy).

    RESTORE_CHECK_PASSWORD=... python manage.py backup_verify --manifest FILE --signin-username USER

Checks, each reported as ok or FAILED with what is wrong:
- migrations: every migration of this code is applied, none is missing, and the database has none
  this code does not know; the same as at backup time;
- rows: every table has the rows the backup had (no table missing or added);
- the access log's append-only trigger is there, enabled, and refuses an UPDATE and a DELETE;
- the access log is partitioned with a default partition (PostgreSQL);
- the access log's roles: the same owner and grants as at backup time, every partition the owner's,
  and, where the owner is not a superuser, no other role may change, delete or truncate log rows;
- a sign-in: the user's password is accepted by Django's authentication against this database, and
  a code made from their authenticator's stored key verifies.
The probes run in transactions that are rolled back: the database is left as it was, apart from
sequence values."""

import os
from pathlib import Path
from typing import Any

from django.contrib.auth import authenticate
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import RequestFactory

from ._backup import LOG_TABLE, LOG_TRIGGER, access_log_state, applied_migrations, read_manifest, table_counts

Result = tuple[str, bool, str]
PASSWORD_VARIABLE = "RESTORE_CHECK_PASSWORD"  # noqa: S105 - the variable's name, not a password


def _listed(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def check_migrations(manifest: dict[str, Any] | None) -> Result:
    executor = MigrationExecutor(connection)
    loader = executor.loader
    plan = executor.migration_plan(loader.graph.leaf_nodes())
    unknown = sorted(
        f"{app}.{name}" for app, name in loader.applied_migrations if (app, name) not in loader.disk_migrations
    )
    problems = []
    if plan:
        problems.append(f"not applied: {_listed([f'{m.app_label}.{m.name}' for m, _ in plan])}")
    if unknown:
        problems.append(
            f"applied in the database but unknown to this code: {_listed(unknown)} (restore with the release that "
            "made the backup)"
        )
    if manifest is not None:
        with connection.cursor() as cursor:
            now = applied_migrations(cursor)
        if now != manifest["migrations"]:
            before = {f"{app}.{name}" for app, names in manifest["migrations"].items() for name in names}
            after = {f"{app}.{name}" for app, names in now.items() for name in names}
            problems.append(
                f"not as at backup time: missing {_listed(sorted(before - after)) or 'none'}, "
                f"added {_listed(sorted(after - before)) or 'none'}"
            )
    if problems:
        return ("migrations", False, "; ".join(problems))
    return ("migrations", True, f"{len(loader.applied_migrations)} applied, none missing")


def check_rows(manifest: dict[str, Any] | None) -> Result:
    if manifest is None:
        return ("rows", True, "not compared: no manifest")
    with connection.cursor() as cursor:
        now = table_counts(cursor)
    expected: dict[str, int] = manifest["tables"]
    problems = [
        f"{table} is missing (the backup had {rows:,} rows)" for table, rows in expected.items() if table not in now
    ]
    problems += [
        f"{table} has {now[table]:,} rows, the backup had {rows:,}"
        for table, rows in expected.items()
        if table in now and now[table] != rows
    ]
    problems += [f"{table} is not in the backup" for table in now if table not in expected]
    if problems:
        return ("rows", False, _listed(problems, 20))
    return ("rows", True, f"{sum(now.values()):,} rows in {len(now)} tables, as in the backup")


def _refused(statement: str, params: list[Any]) -> str | None:
    """None when the database refuses the statement as the trigger does; else what happened."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, params)
            changed = cursor.rowcount
    except DatabaseError as exc:
        if "append-only" in str(exc):
            return None
        return f"failed otherwise: {exc}"
    return f"was allowed ({changed} row{'s' if changed != 1 else ''})"


def check_log_trigger() -> Result:
    name = "access log trigger"
    if connection.vendor != "postgresql":
        return (name, True, f"not applicable on {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgenabled FROM pg_trigger WHERE tgrelid = to_regclass(%s) AND tgname = %s AND NOT tgisinternal",
            [LOG_TABLE, LOG_TRIGGER],
        )
        row = cursor.fetchone()
    if row is None:
        return (name, False, f"the append-only trigger {LOG_TRIGGER} is missing from {LOG_TABLE}")
    if row[0] == "D":
        return (name, False, f"the append-only trigger {LOG_TRIGGER} is disabled")
    problems = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {LOG_TABLE} (occurred_at, username, agency_name, action, object_type, object_id,"  # noqa: S608
                " object_label, case_reference, person_id, person_label, detail, reason, path, flagged_for_review)"
                " VALUES (now(), 'backup_verify', '', 'view', '', '', '', '', '', '', 'restore probe', '', '', false)"
                " RETURNING id"
            )
            probe = cursor.fetchone()[0]
        for verb, statement in (
            ("UPDATE", f"UPDATE {LOG_TABLE} SET detail = 'changed' WHERE id = %s"),  # noqa: S608
            ("DELETE", f"DELETE FROM {LOG_TABLE} WHERE id = %s"),  # noqa: S608
        ):
            outcome = _refused(statement, [probe])
            if outcome is not None:
                problems.append(f"{verb} of a log row {outcome}")
        transaction.set_rollback(True)
    if problems:
        return (name, False, "; ".join(problems))
    return (name, True, "present, and refuses UPDATE and DELETE")


def check_log_partitions() -> Result:
    name = "access log partitions"
    if connection.vendor != "postgresql":
        return (name, True, f"not applicable on {connection.vendor}")
    with connection.cursor() as cursor:
        state = access_log_state(cursor)
    if state is None:
        return (name, False, f"{LOG_TABLE} is missing")
    if not state["partitioned"]:
        return (name, False, f"{LOG_TABLE} is not partitioned")
    if "audit_accesslog_default" not in state["partitions"]:
        return (name, False, "the default partition is missing: a row outside every month would be refused")
    return (name, True, f"{len(state['partitions'])} partitions, the default one included")


def check_log_roles(manifest: dict[str, Any] | None) -> Result:  # noqa: C901
    name = "access log roles"
    if connection.vendor != "postgresql":
        return (name, True, f"not applicable on {connection.vendor}: no roles")
    with connection.cursor() as cursor:
        state = access_log_state(cursor)
    if state is None:
        return (name, False, f"{LOG_TABLE} is missing")
    problems = []
    before = manifest.get("access_log") if manifest else None
    if before:
        if state["owner"] != before["owner"]:
            problems.append(f"owned by {state['owner']}, at backup time by {before['owner']}")
        if sorted(map(tuple, state["grants"])) != sorted(map(tuple, before["grants"])):
            problems.append(f"grants {state['grants']}, at backup time {before['grants']}")
        if before["owner_can_login"] is False and state["owner_can_login"]:
            problems.append(f"its owner {state['owner']} can log in (it was NOLOGIN)")
    wrong_owner = sorted(p for p, part in state["partitions"].items() if part["owner"] != state["owner"])
    if wrong_owner:
        problems.append(f"partitions not owned by {state['owner']}: {_listed(wrong_owner)}")
    if not state["owner_is_superuser"]:
        # access_log_roles has been run: the log is a NOLOGIN role's, the others may only add and read.
        changing = sorted(
            f"{grantee} may {privilege}"
            for grantee, privilege in state["grants"]
            if privilege not in {"SELECT", "INSERT"}
        )
        if changing:
            problems.append(f"on {LOG_TABLE}: {_listed(changing)}")
        shared = sorted(p for p, part in state["partitions"].items() if part["grants"])
        if shared:
            problems.append(f"other roles have rights on partitions: {_listed(shared)}")
    if problems:
        return (name, False, "; ".join(problems))
    if state["owner_is_superuser"]:
        return (name, True, f"owned by {state['owner']} (access_log_roles not configured, as at backup time)")
    return (
        name,
        True,
        f"owned by {state['owner']}; others may only {', '.join(sorted({p for _, p in state['grants']}))}",
    )


def check_sign_in(username: str | None) -> Result:
    """In a transaction rolled back afterwards: a refused attempt leaves no trace in the database."""
    with transaction.atomic():
        result = _sign_in(username)
        transaction.set_rollback(True)
    return result


def _sign_in(username: str | None) -> Result:
    name = "sign-in"
    if not username:
        return (name, False, "not checked: give --signin-username, and the password in $" + PASSWORD_VARIABLE)
    password = os.environ.get(PASSWORD_VARIABLE, "")
    if not password:
        return (name, False, f"not checked: set ${PASSWORD_VARIABLE} to the password of {username}")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="127.0.0.1")
    user = authenticate(request, username=username, password=password)
    if user is None:
        return (
            name,
            False,
            f"{username} could not sign in: the password was refused, or the account is inactive or locked",
        )
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return (name, True, f"{username} signed in with their password (they have no authenticator)")
    device = devices[0]
    device.last_t, device.throttling_failure_count, device.throttling_failure_timestamp = -1, 0, None
    code = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    verified = device.verify_token(f"{code:0{device.digits}d}")
    if not verified:
        return (
            name,
            False,
            f"{username}'s password was accepted, but their authenticator's stored key does not verify",
        )
    return (name, True, f"{username} signed in: password accepted, and their authenticator's stored key verifies")


class Command(BaseCommand):
    help = (
        "Check this database against a backup's manifest: migrations, rows, the access log's trigger and roles, "
        "a sign-in."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--manifest", default=None, help="the backup's .manifest.json (without it, rows are not compared)"
        )
        parser.add_argument("--signin-username", default=None, help=f"a user whose password is in ${PASSWORD_VARIABLE}")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = read_manifest(Path(options["manifest"])) if options["manifest"] else None
        results = [
            check_migrations(manifest),
            check_rows(manifest),
            check_log_trigger(),
            check_log_partitions(),
            check_log_roles(manifest),
            check_sign_in(options["signin_username"]),
        ]
        database = connection.settings_dict["NAME"]
        for name, ok, message in results:
            self.stdout.write(f"{'ok' if ok else 'FAILED'}  {name}: {message}")
        failed = [name for name, ok, _ in results if not ok]
        if failed:
            raise CommandError(
                f"The database {database} failed {len(failed)} of {len(results)} checks: {', '.join(failed)}."
            )
        self.stdout.write(self.style.SUCCESS(f"The database {database} passed all {len(results)} checks."))
