"""The access log on PostgreSQL: range-partitioned by month, months made ahead by a scheduled job, and
months older than the log's retention exported to a checked archive file and dropped, the only way a
log row leaves the database."""

import datetime
import gzip
import hashlib
import json

import psycopg2
import pytest
from django.core.management import call_command
from django.db import DatabaseError, OperationalError, connection, transaction
from django.utils import timezone

from dacrre.accounts.models import Role
from dacrre.audit.models import AccessAction, AccessLog
from dacrre.audit.partitions import (
    LOCK_KEY,
    AccessLogOwnerError,
    access_log_partitions_archive,
    access_log_partitions_ensure,
    add_months,
    archive_read,
    month_start,
    partition_name,
)
from dacrre.audit.selectors import access_logs_search
from tests.audit.conftest import connect_as, partition_names
from tests.factories import UserFactory

pytestmark = pytest.mark.postgres

UTC = datetime.UTC


def _log(when: datetime.datetime, **fields) -> AccessLog:
    return AccessLog.objects.create(
        occurred_at=when, username=fields.pop("username", "officer"), action="view", **fields
    )


def _partition_of(row: AccessLog) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text FROM audit_accesslog WHERE id = %s", [row.pk])
        return cursor.fetchone()[0]


def _this_month() -> datetime.date:
    return month_start(timezone.now())


@pytest.mark.django_db
def test_the_log_is_partitioned_with_the_primary_key_the_indexes_and_the_trigger_on_every_partition() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = 'audit_accesslog'::regclass")
        assert cursor.fetchone() == ("p",)
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'audit_accesslog'::regclass AND contype = 'p'"
        )
        assert cursor.fetchone() == ("PRIMARY KEY (id, occurred_at)",)
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'audit_accesslog'")
        parent_indexes = {row[0] for row in cursor.fetchall()}
        # The auditor's search: by person, record, case, account, agency and time.
        for name in (
            "audit_accesslog_occurred_at_d29e05cd",
            "audit_accesslog_person_id_6fcc1708",
            "audit_accesslog_object_id_805afa88",
            "audit_accesslog_case_reference_99e29c10",
            "audit_acces_user_id_8c3ada_idx",
            "audit_acces_agency__73896d_idx",
        ):
            assert name in parent_indexes
        for partition in partition_names():
            cursor.execute(
                "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                " JOIN pg_index x ON x.indexrelid = c.oid WHERE x.indrelid = %s::regclass",
                [partition],
            )
            assert cursor.fetchone()[0] == len(parent_indexes), partition
            cursor.execute(
                "SELECT tgenabled FROM pg_trigger"
                " WHERE tgrelid = %s::regclass AND tgname = 'audit_accesslog_append_only'",
                [partition],
            )
            assert cursor.fetchone() == ("O",), partition
    this_month = _this_month()
    assert {partition_name(this_month), partition_name(add_months(this_month, 1)), "audit_accesslog_default"} <= (
        partition_names()
    )


@pytest.mark.django_db
def test_rows_go_to_their_month_or_to_the_default_partition_and_the_model_still_works() -> None:
    this_month = _this_month()
    now = timezone.now()
    next_month = datetime.datetime(*add_months(this_month, 1).timetuple()[:3], 12, tzinfo=UTC)
    far = datetime.datetime(2041, 3, 3, tzinfo=UTC)
    rows = [_log(now, person_id="p-1"), _log(next_month, person_id="p-1"), _log(far, person_id="p-2")]
    assert [_partition_of(row) for row in rows] == [
        partition_name(this_month),
        partition_name(add_months(this_month, 1)),
        "audit_accesslog_default",
    ]
    # The last instant of a month is in that month; midnight UTC starts the next.
    edge = datetime.datetime(*add_months(this_month, 1).timetuple()[:3], tzinfo=UTC)
    assert _partition_of(_log(edge - datetime.timedelta(microseconds=1))) == partition_name(this_month)
    assert _partition_of(_log(edge)) == partition_name(add_months(this_month, 1))
    # Django's model: ids are unique and lookups by id work.
    assert len({row.pk for row in rows}) == 3
    assert AccessLog.objects.get(pk=rows[2].pk).occurred_at == far
    assert list(AccessLog.objects.filter(person_id="p-1").order_by("occurred_at")) == rows[:2]
    auditor = UserFactory(role=Role.AUDITOR)
    found = access_logs_search(auditor, {"person": "p-2"})
    assert list(found) == [rows[2]]


@pytest.mark.django_db
def test_update_and_delete_are_still_refused_on_the_log_and_on_a_partition() -> None:
    row = _log(timezone.now(), detail="kept")
    for statement in (
        "UPDATE audit_accesslog SET detail = 'changed'",
        "DELETE FROM audit_accesslog",
        f"UPDATE {partition_name(_this_month())} SET detail = 'changed'",  # noqa: S608
        f"DELETE FROM {partition_name(_this_month())}",  # noqa: S608
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert AccessLog.objects.get(pk=row.pk).detail == "kept"


def test_the_job_creates_the_months_ahead_and_is_idempotent(partitions_restored) -> None:
    this_month = _this_month()
    created = access_log_partitions_ensure(months_ahead=3)
    assert created == [partition_name(add_months(this_month, 2)), partition_name(add_months(this_month, 3))]
    assert access_log_partitions_ensure(months_ahead=3) == []
    # A month later, one more.
    later = datetime.datetime(*add_months(this_month, 1).timetuple()[:3], 2, tzinfo=UTC)
    assert access_log_partitions_ensure(months_ahead=3, now=later) == [partition_name(add_months(this_month, 4))]
    _log(datetime.datetime(*add_months(this_month, 3).timetuple()[:3], 9, tzinfo=UTC))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {partition_name(add_months(this_month, 3))}")  # noqa: S608
        assert cursor.fetchone() == (1,)


def test_rows_in_the_default_partition_move_to_their_new_month_with_their_ids(partitions_restored) -> None:
    stray = [_log(datetime.datetime(2039, 7, day, tzinfo=UTC), detail=f"stray {day}") for day in (1, 31)]
    assert {_partition_of(row) for row in stray} == {"audit_accesslog_default"}
    assert partition_name(datetime.date(2039, 7, 1)) in access_log_partitions_ensure(months_ahead=1)
    assert {_partition_of(row) for row in stray} == {"audit_accesslog_p2039_07"}
    assert list(AccessLog.objects.filter(detail__startswith="stray").order_by("id")) == stray
    assert _partition_of(_log(datetime.datetime(2045, 1, 1, tzinfo=UTC))) == "audit_accesslog_default"


def test_an_old_month_is_archived_to_a_checked_file_and_dropped_while_recent_ones_stay(
    partitions_restored, tmp_path
) -> None:
    awkward = 'a "quoted", comma\nand a new line'
    old = [
        _log(datetime.datetime(2014, 3, 1, 0, 0, tzinfo=UTC), username="first", detail=awkward, ip_address="10.0.0.1"),
        _log(datetime.datetime(2014, 3, 31, 23, 59, tzinfo=UTC), username="last", person_label="Victim Name"),
        _log(datetime.datetime(2014, 4, 15, tzinfo=UTC), username="april"),
    ]
    recent = _log(timezone.now(), username="recent")
    archived = access_log_partitions_archive(retention_months=120, archive_dir=tmp_path)

    assert [(a.partition, a.rows) for a in archived] == [
        ("audit_accesslog_p2014_03", 2),
        ("audit_accesslog_p2014_04", 1),
    ]
    assert "audit_accesslog_p2014_03" not in partition_names()
    assert partition_name(_this_month()) in partition_names()
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["recent"]
    assert AccessLog.objects.get(pk=recent.pk).username == "recent"

    march = tmp_path / "audit_accesslog_p2014_03.csv.gz"
    sha256 = hashlib.sha256(march.read_bytes()).hexdigest()
    assert (tmp_path / "audit_accesslog_p2014_03.csv.gz.sha256").read_text() == (
        f"{sha256}  audit_accesslog_p2014_03.csv.gz\n"
    )
    manifest = json.loads((tmp_path / "audit_accesslog_p2014_03.json").read_text())
    assert manifest["rows"] == 2
    assert manifest["sha256"] == sha256
    assert (manifest["first_id"], manifest["last_id"]) == (old[0].pk, old[1].pk)
    assert manifest["from"] == "2014-03-01T00:00:00+00:00"
    assert manifest["to"] == "2014-04-01T00:00:00+00:00"
    rows = archive_read(march)
    assert [row["id"] for row in rows] == [str(old[0].pk), str(old[1].pk)]
    assert rows[0]["username"] == "first"
    assert rows[0]["detail"] == awkward
    assert rows[0]["ip_address"] == "10.0.0.1"
    assert rows[0]["occurred_at"] == "2014-03-01 00:00:00+00"
    assert rows[1]["person_label"] == "Victim Name"
    assert rows[0]["action"] == AccessAction.VIEW

    # Run again: nothing left to archive, the files are untouched.
    assert access_log_partitions_archive(retention_months=120, archive_dir=tmp_path) == []
    assert hashlib.sha256(march.read_bytes()).hexdigest() == sha256
    # A file changed afterwards no longer matches its checksum.
    with gzip.open(march, "wb") as tampered:
        tampered.write(b"id\n1\n")
    with pytest.raises(ValueError, match="SHA-256"):
        archive_read(march)


def test_a_month_inside_the_retention_is_kept(partitions_restored, tmp_path) -> None:
    now = timezone.now()
    boundary = add_months(month_start(now), -24)
    kept = _log(datetime.datetime(*boundary.timetuple()[:3], tzinfo=UTC))
    gone = _log(datetime.datetime(*add_months(boundary, -1).timetuple()[:3], tzinfo=UTC))
    archived = access_log_partitions_archive(retention_months=24, archive_dir=tmp_path, now=now)
    assert [a.partition for a in archived] == [partition_name(add_months(boundary, -1))]
    assert AccessLog.objects.filter(pk=kept.pk).exists()
    assert not AccessLog.objects.filter(pk=gone.pk).exists()


def test_a_run_while_another_holds_the_lock_does_nothing(partitions_restored, tmp_path) -> None:
    _log(datetime.datetime(2013, 1, 5, tzinfo=UTC))
    settings_dict = connection.settings_dict
    other = psycopg2.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        assert access_log_partitions_ensure(months_ahead=6) == []
        assert access_log_partitions_archive(retention_months=1, archive_dir=tmp_path) == []
    finally:
        other.close()
    assert AccessLog.objects.count() == 1


def test_the_jobs_run_as_the_owner_and_the_application_cannot_truncate_or_drop_a_partition(
    log_roles, partitions_restored, tmp_path
) -> None:
    _log(datetime.datetime(2012, 6, 6, tzinfo=UTC))
    _log(timezone.now())
    created = access_log_partitions_ensure(months_ahead=2, database_url=log_roles["jobs_url"])
    assert "audit_accesslog_p2012_06" in created
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'audit_accesslog'::regclass AND pg_get_userbyid(c.relowner) <> %s",
            [log_roles["owner"]],
        )
        assert cursor.fetchall() == []

    app = connect_as(log_roles["app"], log_roles["app_password"])
    insufficient_privilege = "42501"
    this_month = partition_name(_this_month())
    try:
        with app.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit_accesslog")
            assert cursor.fetchone() == (2,)
            cursor.execute(
                "INSERT INTO audit_accesslog (occurred_at, username, agency_name, action, object_type, object_id,"
                " object_label, case_reference, person_id, person_label, detail, reason, path, flagged_for_review)"
                " VALUES (now(), 'app', '', 'view', '', '', '', '', '', '', 'as the app role', '', '', false)"
            )
            for statement in (
                f"TRUNCATE {this_month}",
                "TRUNCATE audit_accesslog_p2012_06",
                f"DROP TABLE {this_month}",
                "DROP TABLE audit_accesslog_default",
                f"ALTER TABLE audit_accesslog DETACH PARTITION {this_month}",
                f"ALTER TABLE {this_month} DISABLE TRIGGER audit_accesslog_append_only",
                f"SELECT * FROM {this_month}",  # noqa: S608
                f"DELETE FROM {this_month}",  # noqa: S608
                "CREATE TABLE audit_accesslog_p2099_01 PARTITION OF audit_accesslog"
                " FOR VALUES FROM ('2099-01-01') TO ('2099-02-01')",
            ):
                with pytest.raises(psycopg2.Error) as refused:
                    cursor.execute(statement)
                assert refused.value.pgcode == insufficient_privilege, statement
        # The application's login cannot run the jobs: refused with the setting to use.
        with pytest.raises(AccessLogOwnerError, match="ACCESS_LOG_OWNER_DATABASE_URL"):
            access_log_partitions_archive(retention_months=1, archive_dir=tmp_path, database_url=log_roles["app_url"])
    finally:
        app.close()

    archived = access_log_partitions_archive(
        retention_months=120, archive_dir=tmp_path, database_url=log_roles["jobs_url"]
    )
    assert [(a.partition, a.rows) for a in archived] == [("audit_accesslog_p2012_06", 1)]
    assert AccessLog.objects.count() == 2
    # access_log_roles, run again at the next start, keeps the new partitions the owner's alone.
    call_command(
        "access_log_roles",
        app_url=log_roles["app_url"],
        owner_role=log_roles["owner"],
        partitions_url=log_roles["jobs_url"],
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid, aclexplode(c.relacl) a"
            " WHERE i.inhparent = 'audit_accesslog'::regclass AND a.grantee <> c.relowner"
        )
        assert cursor.fetchone() == (0,)


def test_the_command_lists_creates_and_archives(partitions_restored, tmp_path, settings, capsys) -> None:
    settings.ACCESS_LOG_ARCHIVE_DIR = str(tmp_path)
    settings.ACCESS_LOG_RETENTION_MONTHS = 120
    _log(datetime.datetime(2011, 2, 2, tzinfo=UTC))
    call_command("access_log_partitions", ensure=True, archive=True)
    out = capsys.readouterr().out
    assert "audit_accesslog_p2011_02: 1 rows archived to" in out
    assert f"{partition_name(_this_month())}\t" in out
    assert (tmp_path / "audit_accesslog_p2011_02.csv.gz").exists()


def test_the_scheduled_job_tries_again_when_the_database_blinks(monkeypatch) -> None:
    """Django raises its own OperationalError for a lost connection or a lock not granted in time
    (not the driver's): the job retries on it, and succeeds when the database is back."""
    from dacrre.audit import tasks

    calls: list[int] = []

    def blinking() -> list[str]:
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return ["audit_accesslog_p2026_12"]

    monkeypatch.setattr(tasks, "access_log_partitions_ensure", blinking)
    assert tasks.ensure_access_log_partitions.apply().get() == ["audit_accesslog_p2026_12"]
    assert len(calls) == 2
