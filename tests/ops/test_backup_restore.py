"""The backup and restore procedure of docs/operations.md, run for real on PostgreSQL: a small dataset
made with the factories, `manage.py backup` (pg_dump and its manifest), then
`manage.py backup_restore_check`, which restores it into a new database and checks migrations, rows,
the access log's trigger, partitions and roles, and a sign-in. Then the restored copy is damaged in
the ways a bad restore would be, and the check fails saying what is wrong."""

import datetime
import json
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.management.commands.backup_restore_check import drop_database, verify_restored
from tests.factories import TEST_PASSWORD, CaseFactory, CaseVictimFactory, IncidentFactory, UserFactory

pytestmark = pytest.mark.postgres


def _database_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _execute_in(database: str, *statements: str) -> None:
    settings_dict = connection.settings_dict
    conn = psycopg2.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        dbname=database,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


@pytest.fixture
def dataset(log_roles, partitions_restored):
    """A few of everything, the access log's roles configured, and log rows in the current month and
    in the default partition."""
    officer = UserFactory(username="restore.officer")
    case = CaseFactory(area=officer.area, spoc=officer)
    CaseVictimFactory(case=case)
    IncidentFactory(perpetrator=case.perpetrator, area=officer.area)
    access_log_record(user=officer, action=AccessAction.VIEW, object_type="case", case_reference=case.reference)
    access_log_record(user=officer, action=AccessAction.LOGIN)
    from dacrre.audit.models import AccessLog

    AccessLog.objects.create(
        username="far", action="view", occurred_at=datetime.datetime(2040, 1, 1, tzinfo=datetime.UTC)
    )
    return {"officer": officer, "roles": log_roles}


def test_a_backup_restores_into_a_new_database_and_passes_every_check_and_damage_is_named(
    dataset, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("RESTORE_CHECK_PASSWORD", TEST_PASSWORD)
    dump = Path(call_command("backup", output_dir=str(tmp_path)))
    manifest_file = dump.with_name(dump.name + ".manifest.json")
    manifest = json.loads(manifest_file.read_text())
    assert manifest["tables"]["accounts_user"] == 1
    assert manifest["tables"]["audit_accesslog"] == 3
    assert manifest["tables"]["audit_accesslog_default"] == 1
    assert manifest["access_log"]["owner"] == dataset["roles"]["owner"]
    assert manifest["access_log"]["owner_can_login"] is False
    assert sorted(map(tuple, manifest["access_log"]["grants"])) == [
        (dataset["roles"]["app"], "INSERT"),
        (dataset["roles"]["app"], "SELECT"),
    ]
    assert "0005_access_log_partitioned_by_month" in manifest["migrations"]["audit"]

    # Restored, checked and dropped.
    name = f"{connection.settings_dict['NAME']}_rc_{timezone.now():%H%M%S%f}"
    call_command("backup_restore_check", dump=str(dump), database=name, signin_username="restore.officer")
    out = capsys.readouterr().out
    for line in (
        "ok  file:",
        "ok  restore:",
        "ok  migrations:",
        "ok  rows:",
        "ok  access log trigger: present, and refuses UPDATE and DELETE",
        "ok  access log partitions:",
        f"ok  access log roles: owned by {dataset['roles']['owner']}; others may only INSERT, SELECT",
        "ok  sign-in: restore.officer signed in: password accepted, and their authenticator's stored key verifies",
        "restores and passes every check",
    ):
        assert line in out, out
    assert "FAILED" not in out
    assert not _database_exists(name)

    # Kept, then damaged the ways a bad restore would be: each check names what is wrong.
    call_command("backup_restore_check", dump=str(dump), database=name, keep=True, signin_username="restore.officer")
    capsys.readouterr()
    try:
        without_sign_in = verify_restored(name, manifest_file, signin_username=None)
        assert without_sign_in.returncode != 0
        assert "FAILED  sign-in: not checked: give --signin-username" in without_sign_in.stdout
        assert "failed 1 of 6 checks: sign-in" in without_sign_in.stderr

        _execute_in(name, "DROP TRIGGER audit_accesslog_append_only ON audit_accesslog")
        result = verify_restored(name, manifest_file, signin_username="nobody")
        assert "FAILED  access log trigger: the append-only trigger audit_accesslog_append_only is missing" in (
            result.stdout
        )
        assert "FAILED  sign-in: nobody could not sign in" in result.stdout
        # A refused sign-in leaves no trace: the rows still match the backup.
        assert "ok  rows:" in result.stdout
        assert "failed 2 of 6 checks: access log trigger, sign-in" in result.stderr

        _execute_in(
            name,
            "DROP TABLE cases_casevictim CASCADE",
            f'GRANT DELETE ON audit_accesslog TO "{dataset["roles"]["app"]}"',
            "DELETE FROM django_migrations WHERE app = 'incidents' AND name = '0005_import_content_retention'",
        )
        result = verify_restored(name, manifest_file, signin_username="restore.officer")
        assert "FAILED  rows: cases_casevictim is missing (the backup had 1 rows)" in result.stdout
        assert "FAILED  access log roles: grants" in result.stdout
        assert f"{dataset['roles']['app']} may DELETE" in result.stdout
        assert "FAILED  migrations: not applied: incidents.0005_import_content_retention" in result.stdout
        assert "ok  sign-in" in result.stdout
        assert "failed 4 of 6 checks: migrations, rows, access log trigger, access log roles" in result.stderr
    finally:
        drop_database(name)
    assert not _database_exists(name)


@pytest.mark.django_db(transaction=True)
def test_a_damaged_dump_is_refused_before_anything_is_restored(tmp_path) -> None:
    UserFactory()
    dump = Path(call_command("backup", output_dir=str(tmp_path)))
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    name = f"{connection.settings_dict['NAME']}_rc_damaged"
    with pytest.raises(CommandError, match="is damaged or not the file its manifest describes"):
        call_command("backup_restore_check", dump=str(dump), database=name)
    assert not _database_exists(name)
