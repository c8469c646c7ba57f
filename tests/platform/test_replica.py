"""Reports and downloads read from a PostgreSQL replica (DATABASE_REPLICA_URL); pages and writes use
the primary, so a user always sees what they have just saved.

The replica here is a second database copied from the test database (pg_dump into psql), registered
as the `replica` alias: what a streaming replica holds, frozen at the copy. Changes made
after the copy exist on one side only, which shows where each read went."""

import copy
import logging
import os
import shutil
import subprocess

import psycopg2
import pytest
from django.conf import settings
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import Case
from dacrre.accounts.models import Role, Scope, User
from dacrre.accounts.roles import has_role_permission
from dacrre.audit.models import AccessAction, AccessLog
from dacrre.core.db_router import REPLICA, replica_reads
from tests.factories import AreaFactory, CaseFactory, UserFactory
from tests.platform.redis_server import free_port
from visits.models import Visit, VisitOutcome

REPORT = "/reports/?start=1/1/2026&end=31/12/2026"
pytestmark = pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("psql") is None,
    reason="needs pg_dump and psql to copy the database",
)


def _admin(primary: dict, *statements: str) -> None:
    conn = psycopg2.connect(
        dbname="postgres",
        host=primary["HOST"],
        port=primary["PORT"] or 5432,
        user=primary["USER"],
        password=primary["PASSWORD"],
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


def _copy_database(primary: dict, name: str) -> None:
    """The test database as it is now, into a new database `name` (pg_dump, then psql: a template
    copy would need every other session off the test database, and the live server keeps one)."""
    _admin(primary, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')
    server = ["-h", primary["HOST"], "-p", str(primary["PORT"] or 5432), "-U", primary["USER"]]
    env = {**os.environ, "PGPASSWORD": primary["PASSWORD"] or ""}
    dump = subprocess.run(  # noqa: S603 - fixed command
        ["pg_dump", *server, "--no-owner", "--no-privileges", primary["NAME"]],  # noqa: S607
        env=env,
        capture_output=True,
        check=True,
    )
    subprocess.run(  # noqa: S603 - fixed command
        ["psql", *server, "-q", "-v", "ON_ERROR_STOP=1", "-d", name],  # noqa: S607
        input=dump.stdout,
        env=env,
        capture_output=True,
        check=True,
    )


@pytest.fixture(scope="module")
def replica_alias(django_db_setup, django_db_blocker):
    """The `replica` alias, declared before each test's database setup (Django lets a test use only
    the aliases it declares), on a second database."""
    with django_db_blocker.unblock():
        primary = copy.deepcopy(connections["default"].settings_dict)
    name = f"{primary['NAME']}_replica"
    _copy_database(primary, name)
    settings.DATABASES[REPLICA] = {**copy.deepcopy(primary), "NAME": name}
    yield primary
    connections[REPLICA].close()
    del connections[REPLICA]
    del settings.DATABASES[REPLICA]
    _admin(primary, f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture
def replica(replica_alias, transactional_db):
    """`make()` copies the test database as it is now to the replica (a streaming replica frozen at
    that moment) and returns the replica's connection; keyword arguments change its settings."""
    settings_dict = connections[REPLICA].settings_dict
    kept = dict(settings_dict)

    def make(**overrides):
        connections[REPLICA].close()
        _copy_database(replica_alias, settings_dict["NAME"])
        settings_dict.update(overrides)
        return connections[REPLICA]

    yield make
    connections[REPLICA].close()
    settings_dict.update(kept)


@pytest.fixture
def force(transactional_db):
    north = AreaFactory(name="North")
    officer = UserFactory(area=north)
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    case = CaseFactory(area=north, spoc=officer, opened_at=timezone.now())
    return officer, supervisor, case


def _replica_execute(replica_connection, sql: str, params: list) -> None:
    with replica_connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_download_reads_the_replica_and_the_page_its_own_write_on_the_primary(force, replica, login) -> None:
    officer, _supervisor, case = force
    client = login(officer)
    replica_db = replica()
    # A row changed on the replica alone: wherever it shows, the read went to the replica.
    _replica_execute(replica_db, "UPDATE cases_case SET reference = %s WHERE id = %s", ["DA-ON-REPLICA", case.pk])

    download = client.get("/caseload/?format=csv")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    body = download.content.decode()
    assert "DA-ON-REPLICA" in body and case.reference not in body
    # The download is logged on the primary (a write): never on the replica.
    assert AccessLog.objects.filter(user=officer, action=AccessAction.EXPORT).count() == 1
    with replica_db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_accesslog WHERE action = 'export'")
        assert cursor.fetchone()[0] == 0

    # The officer logs a visit: the case page shows it at once, and the primary's reference.
    form = f"/cases/{case.public_id}/visits/new/"
    assert client.get(form).status_code == 200
    saved = client.post(
        form,
        {
            "subject": "perpetrator",
            "occurred_on": timezone.localdate().strftime("%d/%m/%Y"),
            "occurred_time": "00:05",
            "outcome": VisitOutcome.SEEN,
            "notes": "Seen at the door after the bail check",
        },
    )
    assert saved.status_code == 302
    with CaptureQueriesContext(replica_db) as on_replica:
        page = client.get(f"/cases/{case.public_id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Seen at the door after the bail check" in html and case.reference in html and "DA-ON-REPLICA" not in html
    assert len(on_replica) == 0
    assert Visit.objects.filter(case=case).count() == 1
    with replica_db.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visits_visit")
        assert cursor.fetchone()[0] == 0  # the replica never had it: the page read the primary


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_the_performance_report_reads_the_replica(force, replica, login) -> None:
    officer, supervisor, case = force
    client = login(supervisor)
    replica_db = replica()
    # Opened after the copy: on the primary only.
    CaseFactory(area=case.area, spoc=officer, opened_at=timezone.now())
    assert Case.objects.filter(owning_agency=case.owning_agency).count() == 2

    with CaptureQueriesContext(connections["default"]) as on_primary, CaptureQueriesContext(replica_db) as on_replica:
        page = client.get(REPORT)
    assert page.status_code == 200 and "Perpetrators identified (cases opened)" in page.content.decode()
    # Every figure came from the replica: the report's tables were never read on the primary.
    assert len(on_replica) >= 5
    # (Visits, incidents and assessments are read by the report alone, never by the page around it.)
    report_only = ("visits_visit", "incidents_incident", "risk_riskassessment")
    assert not [q for q in on_primary.captured_queries if any(table in q["sql"] for table in report_only)]
    assert [q for q in on_replica.captured_queries if "visits_visit" in q["sql"]]
    download = client.get(REPORT + "&format=csv").content.decode()
    assert "Perpetrators identified (cases opened),1," in download  # the replica's one case, not the primary's two


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_a_replica_that_cannot_be_reached_leaves_downloads_on_the_primary(force, replica, login, caplog) -> None:
    officer, _supervisor, case = force
    client = login(officer)
    replica(PORT=str(free_port()))  # nothing listens there
    with caplog.at_level(logging.WARNING, logger="dacrre.core.db_router"):
        download = client.get("/caseload/?format=csv")
    assert download.status_code == 200 and case.reference in download.content.decode()
    assert "The database replica cannot be reached" in caplog.text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
def test_inside_replica_reads_who_is_asking_and_any_transaction_stay_on_the_primary(force, replica) -> None:
    officer, _supervisor, case = force
    replica_db = replica()
    _replica_execute(replica_db, "UPDATE cases_case SET reference = %s WHERE id = %s", ["DA-ON-REPLICA", case.pk])
    # On the replica alone: the officer's role loses its permissions, the account is disabled.
    _replica_execute(replica_db, "DELETE FROM auth_group_permissions", [])
    _replica_execute(replica_db, "UPDATE accounts_user SET is_active = false", [])
    with replica_reads():
        assert Case.objects.get(pk=case.pk).reference == "DA-ON-REPLICA"
        assert User.objects.get(pk=officer.pk).is_active
        assert has_role_permission(officer, "cases.view_case")
        with transaction.atomic():  # a check before a write reads what the write will see
            assert Case.objects.get(pk=case.pk).reference == case.reference
    assert Case.objects.get(pk=case.pk).reference == case.reference
