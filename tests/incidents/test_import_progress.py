"""Progress is truthful: the phase, when it last moved, and "stalled" when no worker runs the job.

Seen: "Importing 24,000 of 50,000 (48%)" for 10 minutes after the worker was killed; the check phase
of an import shown as "Importing", so the bar ran to 100% and started again; a failed job showing
"nothing imported: 20000 of 20000 rows (100%)". Also: a failed job could only be run again by
uploading the file again."""

import datetime
import socket
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from incidents import jobs
from incidents.models import ImportStatus, Incident, IncidentImport
from incidents.tasks import run_incident_import
from people.models import Person
from tests.factories import AreaFactory, UserFactory

SAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "samples" / "incidents-sample.csv").read_text()


@pytest.fixture
def analyst(db):
    north = AreaFactory(name="North")
    AreaFactory(agency=north.agency, name="South")
    AreaFactory(agency=north.agency, name="West")
    return UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)


@pytest.fixture
def background(monkeypatch):
    """Every file counts as large; enqueued jobs are collected instead of sent to a broker."""
    monkeypatch.setattr(jobs, "INLINE_ROWS", 1)
    sent: list[tuple] = []
    monkeypatch.setattr(run_incident_import, "apply_async", lambda args, kwargs, **options: sent.append(args))
    return sent


def _job(analyst, status: str, *, started_minutes_ago: float = 0, report: dict | None = None) -> IncidentImport:
    now = timezone.now()
    return IncidentImport.objects.create(
        agency=analyst.agency,
        uploaded_by=analyst,
        filename="x.csv",
        content=SAMPLE,
        rows_total=40_000,
        status=status,
        queued_at=now - datetime.timedelta(minutes=started_minutes_ago),
        started_at=now - datetime.timedelta(minutes=started_minutes_ago),
        report=report or {},
    )


def _progress(job, phase: str, done: int, *, minutes_ago: float = 0) -> datetime.datetime:
    at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    progress = {"phase": phase, "done": done, "total": 40_000, "at": at.isoformat()}
    cache.set(f"incident-import:{job.public_id}:progress", progress)
    return at


def _page(client, job) -> str:
    response = client.get(f"/incidents/import/{job.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def _bar(client, job) -> str:
    response = client.get(f"/incidents/import/{job.public_id}/progress/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_phase_is_named_with_its_own_count_and_the_time_of_the_last_progress(analyst, login) -> None:
    client = login(analyst)
    waiting = _job(analyst, ImportStatus.WAITING_CHECK)
    assert "Waiting for the background worker to start" in _bar(client, waiting)
    assert "Waiting since" in _bar(client, waiting) and "rows (" not in _bar(client, waiting)

    checking = _job(analyst, ImportStatus.CHECKING)
    at = timezone.localtime(_progress(checking, "checking", 10_000)).strftime("%H:%M:%S")
    bar = _bar(client, checking)
    assert "Checking the file: 10000 of 40000 rows (25%)" in bar and f"Last progress at {at}." in bar

    importing = _job(analyst, ImportStatus.IMPORTING)
    _progress(importing, "checking", 40_000)  # left from the dry run: not what the import is doing
    bar = _bar(client, importing)
    assert "Step 1 of 2: matching the people and incidents again: 0 of 40000 rows (0%)" in bar
    assert "Checking" not in bar and "Importing" not in bar
    _progress(importing, "preparing", 20_000)
    assert "Step 1 of 2: matching the people and incidents again: 20000 of 40000 rows (50%)" in _bar(client, importing)
    _progress(importing, "importing", 8_000)
    assert "Step 2 of 2: writing the incidents: 8000 of 40000 rows (20%)" in _bar(client, importing)
    _progress(importing, "queued", 0)
    bar = _bar(client, importing)
    assert "Waiting for another import to finish" in bar and "rows (" not in bar
    assert "Stalled" not in _page(client, importing)


def test_a_job_whose_worker_stopped_is_shown_stalled_with_what_happens_next(
    analyst, login, background, django_capture_on_commit_callbacks
) -> None:
    client = login(analyst)
    job = _job(analyst, ImportStatus.IMPORTING, started_minutes_ago=30)
    _progress(job, "importing", 24_000, minutes_ago=12)
    page = _page(client, job)
    assert "Stalled: the worker running this job stopped (last progress at" in page
    assert "It will be restarted automatically by" in page and "Run it again now" in page
    assert "24000 of 40000" not in page  # not presented as if it were running

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/incidents/import/{job.public_id}/run-again/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.WAITING_IMPORT and background == [(job.pk, False)]
    assert "Waiting for the background worker to start" in _page(client, job)
    run_incident_import(*background.pop())
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and Incident.objects.count() == 4


def test_a_job_never_started_is_stalled_after_the_waiting_time(analyst, login) -> None:
    client = login(analyst)
    job = _job(analyst, ImportStatus.WAITING_CHECK, started_minutes_ago=6)
    page = _page(client, job)
    assert "Stalled: no worker has started this job" in page and "restarted automatically by" in page
    assert jobs.import_jobs_resume() == 1


def test_a_failed_job_says_so_without_a_full_bar_and_can_be_tried_again_once(analyst, login) -> None:
    client = login(analyst)
    job = _job(
        analyst,
        ImportStatus.FAILED,
        report={"errors": [], "failed": "import", "failure": "The job stopped with an error. Nothing was imported"},
    )
    job.rows_total = 4
    job.save()
    _progress(job, "importing", 40_000)
    page = _page(client, job)
    assert "The import stopped" in page and "Try the import again" in page
    assert "rows (100%)" not in page and "rows (" not in _bar(client, job)
    assert "Stopped: nothing imported." in _bar(client, job)

    response = client.post(f"/incidents/import/{job.public_id}/run-again/", follow=True)
    assert "Incidents imported." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and "failure" not in job.report
    assert Incident.objects.count() == 4 and Person.objects.count() == 5
    # A second press (a double click, a second tab) runs nothing again.
    again = client.post(f"/incidents/import/{job.public_id}/run-again/", follow=True)
    assert "there is nothing to run again" in again.content.decode()
    assert Incident.objects.count() == 4 and Person.objects.count() == 5


def test_a_failed_check_is_checked_again(analyst, login) -> None:
    client = login(analyst)
    job = _job(analyst, ImportStatus.FAILED, report={"errors": [], "failed": "check", "failure": "Stopped"})
    job.rows_total = 4
    job.save()
    assert "Check the file again" in _page(client, job)
    client.post(f"/incidents/import/{job.public_id}/run-again/")
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and Incident.objects.count() == 0


def test_only_the_agencys_analysts_can_run_a_job_again(analyst, login) -> None:
    job = _job(analyst, ImportStatus.FAILED, report={"errors": [], "failed": "check", "failure": "Stopped"})
    IncidentImport.objects.filter(pk=job.pk).update(rows_total=4)
    other_force = UserFactory(area=AreaFactory(name="North"), role=Role.ANALYST, scope=Scope.AGENCY)
    assert login(other_force).post(f"/incidents/import/{job.public_id}/run-again/").status_code == 404
    officer = UserFactory(area=analyst.area)
    assert login(officer).post(f"/incidents/import/{job.public_id}/run-again/").status_code == 403
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert login(analyst).post(f"/incidents/import/{job.public_id}/run-again/").status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED


def test_a_running_job_cannot_be_run_again(analyst, login) -> None:
    client = login(analyst)
    job = _job(analyst, ImportStatus.CHECKING)
    _progress(job, "checking", 100)
    response = client.post(f"/incidents/import/{job.public_id}/run-again/", follow=True)
    assert "there is nothing to run again" in response.content.decode()


def test_the_resume_time_is_the_next_beat() -> None:
    from dacrre.celery import app

    assert app.conf.beat_schedule["incidents-resume-imports"]["schedule"]._orig_minute == "*/5"
    assert jobs.RESUME_EVERY_MINUTES == 5
    moment = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 7, 30))
    assert timezone.localtime(jobs._next_resume(moment)).strftime("%H:%M") == "10:10"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_job_a_live_worker_holds_is_never_stalled_however_slow(analyst, login, background) -> None:
    """On PostgreSQL the worker holds the job's row lock while it runs: that, not the age of the
    progress, says whether it is alive. A slow step is not reported as stalled nor sent again."""
    job = _job(analyst, ImportStatus.IMPORTING, started_minutes_ago=30)
    _progress(job, "preparing", 100, minutes_ago=20)
    worker = connections.create_connection("default")
    try:
        worker.set_autocommit(False)
        with worker.cursor() as cursor:
            cursor.execute("SELECT id FROM incidents_incidentimport WHERE id = %s FOR UPDATE", [job.pk])
        page = _page(login(analyst), job)
        assert "Stalled" not in page and "Step 1 of 2" in page
        assert jobs.import_jobs_resume() == 0
    finally:
        worker.rollback()
        worker.close()
    # The worker is gone (its connection closed, its lock released): stalled at once, sent again.
    assert "Stalled" in _page(login(analyst), job)
    assert jobs.import_jobs_resume() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_killed_worker_shows_stalled_within_a_minute(analyst, login) -> None:
    job = _job(analyst, ImportStatus.IMPORTING, started_minutes_ago=2)
    _progress(job, "importing", 24_000, minutes_ago=1.5)
    assert "Stalled: the worker running this job stopped" in _page(login(analyst), job)


def test_with_the_progress_store_down_a_running_job_says_what_is_known(analyst, login, settings) -> None:
    client = login(analyst)
    job = _job(analyst, ImportStatus.IMPORTING)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}
    }
    bar = _bar(client, job)
    assert "Importing." in bar and "Progress cannot be shown just now" in bar and "Started at" in bar
    assert "rows (" not in bar and "Stalled" not in bar
