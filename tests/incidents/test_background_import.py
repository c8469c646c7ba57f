"""Large files are checked and imported by the background worker, with progress the page polls."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
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


def test_a_large_file_runs_in_the_background_and_the_page_follows_it(
    analyst, login, background, django_capture_on_commit_callbacks
) -> None:
    client = login(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/incidents/import/", {"file": SimpleUploadedFile("big.csv", SAMPLE.encode())})
    job = IncidentImport.objects.get()
    assert job.status == ImportStatus.WAITING_CHECK and job.rows_total == 4
    assert background == [(job.pk, True)]
    page = client.get(response["Location"]).content.decode()
    assert "You can leave this page and come back" in page and 'hx-trigger="every 2s"' in page
    progress = client.get(f"/incidents/import/{job.public_id}/progress/")
    assert "Waiting for the background worker to start" in progress.content.decode()
    assert "HX-Refresh" not in progress

    run_incident_import(*background.pop())  # what the worker does
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED and Incident.objects.count() == 0
    done = client.get(f"/incidents/import/{job.public_id}/progress/")
    assert done["HX-Refresh"] == "true" and "Checked (dry run)." in done.content.decode()
    assert "4 new incidents" in client.get(response["Location"]).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/incidents/import/{job.public_id}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportStatus.WAITING_IMPORT and background == [(job.pk, False)]
    run_incident_import(*background.pop())
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and Incident.objects.count() == 4
    assert job.report["rows_per_second"] > 0
    assert AccessLog.objects.filter(action=AccessAction.COLLECT, user=analyst).exists()
    # A message delivered twice (a redelivery after a lost acknowledgement) does nothing more.
    assert run_incident_import(job.pk, False) == "nothing to do"
    assert Incident.objects.count() == 4


def _job(analyst, status: str, filename: str = "x.csv") -> IncidentImport:
    return IncidentImport.objects.create(
        agency=analyst.agency, uploaded_by=analyst, filename=filename, content=SAMPLE, rows_total=4, status=status
    )


def test_a_job_whose_worker_died_is_run_again_from_the_start(analyst) -> None:
    # Claimed by a worker that was then killed: its transaction rolled back.
    job = _job(analyst, ImportStatus.IMPORTING)
    jobs.import_job_run(job.pk, dry_run=False)
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and Incident.objects.count() == 4


def test_an_error_part_way_leaves_nothing_written_and_says_so(analyst, monkeypatch, login) -> None:
    job = _job(analyst, ImportStatus.WAITING_IMPORT)

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("incidents.services.duplicate_candidates_raise", fail)
    with pytest.raises(RuntimeError):
        jobs.import_job_run(job.pk, dry_run=False)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert Incident.objects.count() == 0 and Person.objects.count() == 0
    page = login(analyst).get(f"/incidents/import/{job.public_id}/").content.decode()
    assert "Nothing was imported" in page


def test_jobs_lost_with_the_broker_are_sent_again(analyst, background, django_capture_on_commit_callbacks) -> None:
    old = _job(analyst, ImportStatus.WAITING_IMPORT, "old.csv")
    IncidentImport.objects.filter(pk=old.pk).update(uploaded_at=old.uploaded_at - jobs.WAITING_AFTER * 2)
    _job(analyst, ImportStatus.WAITING_CHECK, "new.csv")  # just queued: left alone
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.import_jobs_resume() == 1
    assert background == [(old.pk, False)]
