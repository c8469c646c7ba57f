"""The access log is append-only at the database: after `access_log_roles`, the application's role
(a real non-superuser login) may INSERT and SELECT the log, and nothing else; a NOLOGIN role owns it.

Roles belong to the whole PostgreSQL cluster: this test makes its own with random names and drops
them at the end, leaving the test database as it found it."""

import secrets
import uuid

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg2 import sql

from dacrre.audit.models import AccessLog
from tests.factories import CaseFactory, UserFactory


@pytest.fixture
def app_role(transactional_db):
    suffix = uuid.uuid4().hex[:10]
    owner, app, password = f"test_audit_owner_{suffix}", f"test_app_{suffix}", secrets.token_urlsafe(16)
    settings_dict = connection.settings_dict
    url = (
        f"postgres://{app}:{password}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
        f"/{settings_dict['NAME']}"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        superuser = cursor.fetchone()[0]
    call_command("access_log_roles", app_url=url, owner_role=owner)
    yield {"owner": owner, "app": app, "password": password, "url": url}
    with connection.cursor() as cursor:
        cursor.execute(sql.SQL("REASSIGN OWNED BY {} TO {}").format(sql.Identifier(owner), sql.Identifier(superuser)))
        for role in (owner, app):
            cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
            cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def _connect_as(role: dict):
    settings_dict = connection.settings_dict
    conn = psycopg2.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        dbname=settings_dict["NAME"],
        user=role["app"],
        password=role["password"],
    )
    conn.autocommit = True
    return conn


def _refused(cursor, statement: str) -> str:
    with pytest.raises(psycopg2.Error) as refused:
        cursor.execute(statement)
    return refused.value.pgcode


@pytest.mark.postgres
def test_the_application_role_may_only_insert_and_select_the_log(app_role) -> None:
    UserFactory()
    conn = _connect_as(app_role)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            assert cursor.fetchone() == (False,)
            cursor.execute(
                "INSERT INTO audit_accesslog (occurred_at, username, agency_name, action, object_type, object_id,"
                " object_label, case_reference, person_id, person_label, detail, reason, path, flagged_for_review)"
                " VALUES (now(), 'app', '', 'view', '', '', '', '', '', '', 'as the app role', '', '', false)"
                " RETURNING id"
            )
            row_id = cursor.fetchone()[0]
            cursor.execute("SELECT detail FROM audit_accesslog WHERE id = %s", [row_id])
            assert cursor.fetchone() == ("as the app role",)

            insufficient_privilege = "42501"
            assert _refused(
                cursor, "UPDATE audit_accesslog SET detail = 'changed' WHERE detail = 'as the app role'"
            ) == (insufficient_privilege)
            assert (
                _refused(cursor, "DELETE FROM audit_accesslog WHERE detail = 'as the app role'")
                == insufficient_privilege
            )
            assert _refused(cursor, "TRUNCATE audit_accesslog") == insufficient_privilege
            assert _refused(cursor, "ALTER TABLE audit_accesslog DISABLE TRIGGER audit_accesslog_append_only") == (
                insufficient_privilege
            )
            assert _refused(cursor, "DROP TABLE audit_accesslog") == insufficient_privilege
            assert _refused(cursor, "DROP FUNCTION audit_accesslog_refuse_change() CASCADE") == insufficient_privilege
            assert _refused(cursor, f"SET ROLE {app_role['owner']}") == insufficient_privilege
            # The other tables: rows yes, the table itself no.
            cursor.execute("SELECT count(*) FROM accounts_user")
            assert _refused(cursor, "TRUNCATE accounts_user CASCADE") == insufficient_privilege
            assert _refused(cursor, "CREATE TABLE sneaky (id int)") == insufficient_privilege
    finally:
        conn.close()
    assert AccessLog.objects.filter(detail="as the app role").count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_accesslog'")
        assert cursor.fetchone() == (app_role["owner"],)
        cursor.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [app_role["owner"]])
        assert cursor.fetchone() == (False,)


@pytest.mark.postgres
def test_the_application_role_writes_the_other_tables_and_the_command_runs_again(app_role) -> None:
    """The application's role reads and writes the rows of the other tables, and the command can be
    run again at every start (idempotent)."""
    call_command("access_log_roles", app_url=app_role["url"], owner_role=app_role["owner"])
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    conn = _connect_as(app_role)
    try:
        with conn.cursor() as cursor:
            cursor.execute("UPDATE cases_case SET risk_level = 'high' WHERE id = %s", [case.pk])
            assert cursor.rowcount == 1
            cursor.execute("INSERT INTO django_session VALUES ('k', 'd', now())")
            cursor.execute("DELETE FROM django_session WHERE session_key = 'k'")
            assert cursor.rowcount == 1
    finally:
        conn.close()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_command_refuses_to_run_as_the_application_role() -> None:
    from django.core.management.base import CommandError

    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        current = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="run the command as the role that runs migrations"):
        call_command("access_log_roles", app_role=current)


@pytest.mark.django_db
def test_on_sqlite_the_command_says_it_is_skipped(capsys, monkeypatch) -> None:
    monkeypatch.setattr(connection, "vendor", "sqlite")
    call_command("access_log_roles", app_role="anyone")
    assert "Skipped: the database is sqlite, which has no roles" in capsys.readouterr().out
