"""Imports under faults, with the real services: two imports at once, the cache down, a database
connection cut mid-import.

Seen: two imports confirmed at once made 400 people from 200 (or failed on a unique constraint); a
Redis blip failed the import for good (the progress write raised inside the import transaction),
and the import pages answered 500 while Redis was down."""

import socket
import threading
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, connection
from django.db import connections as all_connections

from dacrre.accounts.models import Role, Scope
from incidents import jobs
from incidents.models import ImportStatus, Incident, IncidentImport
from incidents.services import IMPORT_LOCK_KEY
from incidents.tasks import run_incident_import
from people.models import Person
from tests.factories import AreaFactory, UserFactory

SAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "samples" / "incidents-sample.csv").read_text()
HEADER = SAMPLE.splitlines()[0]
PEOPLE = 200


@pytest.fixture
def analyst(db):
    north = AreaFactory(name="North")
    AreaFactory(agency=north.agency, name="South")
    AreaFactory(agency=north.agency, name="West")
    return UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)


def _letters(number: int) -> str:
    # Names compare on letters only: each person gets a name of letters of their own.
    text = ""
    while True:
        number, digit = divmod(number, 26)
        text += "abcdefghijklmnopqrstuvwxyz"[digit]
        if not number:
            return text


def _people_file(prefix: str, *, police_ids: bool) -> str:
    """PEOPLE incidents, each naming a different person; the same people in every file."""
    rows = [HEADER]
    for n in range(PEOPLE):
        police_id = f"PX{n:05d}" if police_ids else ""
        name = _letters(n * 677 + 3)
        born = f"19{60 + n % 40}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        rows.append(f"{prefix}{n},2026-01-01 10:00,North,abh,yes,no,no,{police_id},Zed{name},Quill{name},{born},,,,,x")
    return "\n".join(rows) + "\n"


def _job(analyst, content: str, status: str = ImportStatus.WAITING_IMPORT) -> IncidentImport:
    return IncidentImport.objects.create(
        agency=analyst.agency,
        uploaded_by=analyst,
        filename="x.csv",
        content=content,
        rows_total=jobs.count_rows(content),
        status=status,
    )


def _run_together(*job_ids: int) -> list[BaseException]:
    barrier = threading.Barrier(len(job_ids))
    errors: list[BaseException] = []

    def run(job_id: int) -> None:
        try:
            barrier.wait()
            jobs.import_job_run(job_id, dry_run=False)
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's assertion
            errors.append(exc)
        finally:
            close_old_connections()
            all_connections.close_all()

    threads = [threading.Thread(target=run, args=(job_id,)) for job_id in job_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("police_ids", [False, True], ids=["names-only", "with-police-ids"])
def test_two_imports_confirmed_at_once_create_each_person_once(analyst, police_ids) -> None:
    first = _job(analyst, _people_file("A", police_ids=police_ids))
    second = _job(analyst, _people_file("B", police_ids=police_ids))
    assert _run_together(first.pk, second.pk) == []
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ImportStatus.IMPORTED, ImportStatus.IMPORTED)
    assert Incident.objects.count() == 2 * PEOPLE
    assert Person.objects.count() == PEOPLE
    # Whichever ran second matched every person the first created: no new record, nothing to review.
    reports = sorted([first.report, second.report], key=lambda report: report["people_created"])
    assert reports[0]["people_created"] == 0 and reports[0]["people_matched"] == PEOPLE
    assert reports[0]["likely_duplicates"] == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_small_import_does_not_wait_in_the_request_for_a_long_one(analyst, monkeypatch) -> None:
    """While another import writes, a small file confirmed on the page goes to the worker instead of
    holding the request until the other finishes."""
    sent: list[tuple] = []
    monkeypatch.setattr(run_incident_import, "apply_async", lambda args, kwargs, **options: sent.append(args))
    monkeypatch.setattr(jobs, "INLINE_LOCK_WAIT_SECONDS", 0.1)
    job = _job(analyst, SAMPLE, ImportStatus.CHECKED)
    holder = all_connections.create_connection("default")
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        started = time.monotonic()
        job = jobs.import_job_start(actor=analyst, job=job, dry_run=False)
        assert time.monotonic() - started < 5
        assert job.status == ImportStatus.WAITING_IMPORT and sent == [(job.pk, False)]
    finally:
        holder.rollback()
        holder.close()
    run_incident_import(*sent.pop())
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and Incident.objects.count() == 4


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.mark.django_db
def test_with_the_cache_down_files_are_checked_and_imported_and_no_page_fails(
    analyst, login, settings, monkeypatch, django_capture_on_commit_callbacks, caplog
) -> None:
    client = login(analyst)
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}

    # A small file, run while the analyst waits.
    response = client.post("/incidents/import/", {"file": SimpleUploadedFile("small.csv", SAMPLE.encode())})
    assert response.status_code == 302
    assert "4 new incidents" in client.get(response["Location"]).content.decode()
    job = IncidentImport.objects.get()
    response = client.post(f"/incidents/import/{job.public_id}/confirm/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and Incident.objects.count() == 4
    assert "not stored: the cache is unavailable" in caplog.text

    # A large file, run by the worker: the upload says it is saved; the pages say what they can.
    monkeypatch.setattr(jobs, "INLINE_ROWS", 1)
    sent: list[tuple] = []
    monkeypatch.setattr(run_incident_import, "apply_async", lambda args, kwargs, **options: sent.append(args))
    changed = SAMPLE.replace("Threatened with a knife", "Threatened with a bottle")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/incidents/import/", {"file": SimpleUploadedFile("large.csv", changed.encode())})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "The file is saved and is worked on in the background" in page.content.decode()
    assert "Progress cannot be shown just now" in page.content.decode()
    large = IncidentImport.objects.get(filename="large.csv")
    assert client.get(f"/incidents/import/{large.public_id}/progress/").status_code == 200
    assert client.get("/incidents/import/").status_code == 200
    run_incident_import(*sent.pop())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/incidents/import/{large.public_id}/confirm/")
    run_incident_import(*sent.pop())
    large.refresh_from_db()
    assert large.status == ImportStatus.IMPORTED and large.report["updated_count"] == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_failed_by_a_database_blip_is_run_again_from_its_page_and_imports_once(analyst, login) -> None:
    job = _job(analyst, SAMPLE)
    # Hold the people table so that the import blocks in its first write, then cut its connection.
    blocker = connection.cursor()
    blocker.execute("BEGIN")
    blocker.execute("LOCK TABLE people_person IN EXCLUSIVE MODE")
    errors: list[BaseException] = []

    def run() -> None:
        try:
            jobs.import_job_run(job.pk, dry_run=False)
        except BaseException as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            all_connections.close_all()

    worker = threading.Thread(target=run)
    worker.start()
    probe_connection = all_connections.create_connection("default")
    try:
        with probe_connection.cursor() as probe:
            deadline = time.monotonic() + 60
            pid = None
            while pid is None and time.monotonic() < deadline:
                probe.execute(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND (query LIKE 'INSERT INTO \"people_person\"%%' OR query LIKE 'COPY \"people_person\"%%')"
                )
                row = probe.fetchone()
                pid = row[0] if row else None
                time.sleep(0.1)
            assert pid is not None, "the import never reached its first write"
            probe.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        probe_connection.close()
        blocker.execute("ROLLBACK")
        blocker.close()
        worker.join(timeout=60)
    assert len(errors) == 1  # the blip, raised to the worker (and logged)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.report["failed"] == "import"
    assert Incident.objects.count() == 0 and Person.objects.count() == 0

    client = login(analyst)
    page = client.get(f"/incidents/import/{job.public_id}/").content.decode()
    assert "The import stopped" in page and "Try the import again" in page
    response = client.post(f"/incidents/import/{job.public_id}/run-again/", follow=True)
    assert "Incidents imported." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED
    assert Incident.objects.count() == 4 and Person.objects.count() == 5
    client.post(f"/incidents/import/{job.public_id}/run-again/")
    assert Incident.objects.count() == 4 and Person.objects.count() == 5
