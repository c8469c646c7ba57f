"""Uploaded incident files (names, dates of birth, police identifiers) were kept for ever, refused and
failed uploads included. Now a daily job removes the file IMPORT_CONTENT_RETENTION_DAYS after the
job finished and IMPORT_FAILED_CONTENT_RETENTION_DAYS after a refused or failed run, keeping the job,
its counts and its errors without any value the file held; the page says so."""

import datetime
from pathlib import Path
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from incidents import jobs
from incidents.importer import REMOVED_COLUMN, REMOVED_VALUE, report_without_file_values
from incidents.jobs import import_content_purge
from incidents.models import ImportStatus, Incident, IncidentImport
from incidents.tasks import purge_import_content
from tests.factories import AreaFactory, UserFactory

SAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "samples" / "incidents-sample.csv").read_text()
HEADER = SAMPLE.splitlines()[0]
DAY = datetime.timedelta(days=1)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def analyst(db):
    north = AreaFactory(name="North")
    AreaFactory(agency=north.agency, name="South")
    AreaFactory(agency=north.agency, name="West")
    return UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)


def _upload(client, content: str, name: str = "extract.csv") -> IncidentImport:
    response = client.post("/incidents/import/", {"file": SimpleUploadedFile(name, content.encode())})
    assert response.status_code == 302, response.content
    return IncidentImport.objects.get(filename=name)


def _page(client, job: IncidentImport) -> str:
    response = client.get(f"/incidents/import/{job.public_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_imported_file_is_removed_30_days_after_the_import_and_the_job_keeps_its_report(analyst, login) -> None:
    client = login(analyst)
    job = _upload(client, SAMPLE)
    assert job.status == ImportStatus.CHECKED
    client.post(f"/incidents/import/{job.public_id}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and job.finished_at is not None
    created = job.report["created_count"]
    assert created > 0
    assert "The uploaded file is kept until" in _page(client, job)

    assert import_content_purge(now=job.finished_at + 30 * DAY - SECOND) == 0
    job.refresh_from_db()
    assert "Carl" in job.content and job.content_removed_at is None

    removed_at = job.finished_at + 30 * DAY
    assert import_content_purge(now=removed_at) == 1
    job.refresh_from_db()
    assert job.content == ""
    assert job.content_removed_at == removed_at
    assert job.status == ImportStatus.IMPORTED
    assert job.report["created_count"] == created and job.rows_total > 0
    page = _page(client, job)
    assert f"The uploaded file was removed on {timezone.localtime(removed_at):%-d %B %Y}" in page
    assert "kept 30 days after the job finishes" in page
    assert f"{created} new incident" in page
    # The incidents themselves are untouched, and a second run removes nothing more.
    assert Incident.objects.count() == created
    assert import_content_purge(now=removed_at + DAY) == 0
    job.refresh_from_db()
    assert job.content_removed_at == removed_at


def test_a_refused_upload_is_removed_after_7_days_and_its_errors_no_longer_quote_the_file(analyst, login) -> None:
    client = login(analyst)
    bad = (
        HEADER + "\n"
        "R1,2026-01-01 10:00,Smithville,abh,yes,no,no,,Alan,Smith,,,,,,x\n"
        "R2,2026-01-01 10:00,North,abh,Jones,no,no,,Alan,Smith,31/02/1985,,,,,x\n"
        "R3,2026-01-01 10:00,North,kicked_O'Brien,yes,no,no,,Alan,Smith,,,,,,x\n"
    )
    job = _upload(client, bad)
    assert job.status == ImportStatus.REFUSED and job.finished_at is not None
    before = _page(client, job)
    assert "Smithville" in before and "31/02/1985" in before
    assert "The uploaded file is kept until" in before

    assert import_content_purge(now=job.finished_at + 7 * DAY - SECOND) == 0
    assert import_content_purge(now=job.finished_at + 7 * DAY) == 1
    job.refresh_from_db()
    assert job.content == "" and job.content_removed_at is not None
    text = repr(job.report)
    for value in ("Smithville", "Jones", "31/02/1985", "O'Brien", "Alan", "Smith,"):
        assert value not in text, value
    errors = {(error["row"], error["column"]): error["message"] for error in job.report["errors"]}
    assert errors[(2, "area")] == f"Unknown area {REMOVED_VALUE}. Use one of: North, South, West"
    assert errors[(3, "is_crime")] == f"Enter yes or no, not {REMOVED_VALUE}"
    assert (
        errors[(3, "perpetrator_date_of_birth")] == f"Enter the date as YYYY-MM-DD or DD/MM/YYYY, not {REMOVED_VALUE}"
    )
    assert errors[(4, "offence_category")] == f"Unknown category {REMOVED_VALUE}. See docs/import.md"
    page = _page(client, job)
    assert "The uploaded file was removed on" in page
    assert "kept 7 days after a refused or failed run" in page
    assert "without the values the file held" in page
    assert "perpetrator_date_of_birth" in page and "Smithville" not in page


def test_a_failed_job_keeps_its_file_while_it_can_be_run_again_and_not_after(analyst, login, monkeypatch) -> None:
    client = login(analyst)

    def database_went_away(**kwargs):
        raise RuntimeError("connection lost")

    with monkeypatch.context() as patch:
        patch.setattr(jobs, "incident_import", database_went_away)
        job = _upload(client, SAMPLE)
    assert job.status == ImportStatus.FAILED and job.finished_at is not None
    assert "Check the file again" in _page(client, job)

    assert import_content_purge(now=job.finished_at + 6 * DAY) == 0
    job.refresh_from_db()
    assert job.content == SAMPLE
    assert import_content_purge(now=job.finished_at + 7 * DAY) == 1

    page = _page(client, job)
    assert "Check the file again" not in page
    assert "upload it again to check it" in page
    response = client.post(f"/incidents/import/{job.public_id}/run-again/", follow=True)
    assert "The uploaded file was removed on" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.content == ""


def test_a_checked_file_never_imported_is_removed_after_30_days_and_cannot_then_be_imported(analyst, login) -> None:
    client = login(analyst)
    job = _upload(client, SAMPLE)
    assert job.status == ImportStatus.CHECKED
    assert "import it before then" in _page(client, job)
    assert job.finished_at is not None
    assert import_content_purge(now=job.finished_at + 30 * DAY) == 1

    page = _page(client, job)
    assert "Import these incidents" not in page
    assert "The file was removed before it was imported: upload it again" in page
    response = client.post(f"/incidents/import/{job.public_id}/confirm/", follow=True)
    assert "The uploaded file was removed on" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_a_running_job_keeps_its_file_whatever_its_last_finish(analyst) -> None:
    long_ago = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    running = IncidentImport.objects.create(
        agency=analyst.agency,
        uploaded_by=analyst,
        filename="again.csv",
        content=SAMPLE,
        status=ImportStatus.IMPORTING,
        finished_at=long_ago,  # its earlier run failed; it was started again
    )
    assert import_content_purge(now=long_ago + 365 * DAY) == 0
    running.refresh_from_db()
    assert running.content == SAMPLE and running.content_removed_at is None


@pytest.mark.django_db
def test_the_scheduled_task_removes_what_is_due(analyst, settings) -> None:
    settings.IMPORT_FAILED_CONTENT_RETENTION_DAYS = 2
    due = IncidentImport.objects.create(
        agency=analyst.agency,
        uploaded_by=analyst,
        filename="refused.csv",
        content=SAMPLE,
        status=ImportStatus.REFUSED,
        finished_at=datetime.datetime.now(datetime.UTC) - 3 * DAY,
    )
    assert purge_import_content() == 1
    assert purge_import_content() == 0
    due.refresh_from_db()
    assert due.content == ""


def test_reports_written_before_errors_carried_their_values_are_cleaned_too() -> None:
    report = {
        "rows": 3,
        "errors": [
            {
                "row": 2,
                "column": "victim_date_of_birth",
                "message": "Enter the date as YYYY-MM-DD or DD/MM/YYYY, not 'x'",
            },
            {"row": 3, "column": "area", "message": "Unknown area 'Bob's Place'. Use one of: North"},
            {"row": 4, "column": "offence_category", "message": "Unknown category 'Jane'. See docs/import.md"},
            {"row": 1, "column": "Dana Sample", "message": "This cell holds a NUL character"},
            {"row": 1, "column": "source_reference, area", "message": "These columns are missing from the header row"},
            {"row": 5, "column": "summary", "message": "At most 100 characters (this has 101)"},
        ],
    }
    cleaned = report_without_file_values(report)
    assert [error["message"] for error in cast(list, cleaned["errors"])] == [
        f"Enter the date as YYYY-MM-DD or DD/MM/YYYY, not {REMOVED_VALUE}",
        f"Unknown area {REMOVED_VALUE}. Use one of: North",
        f"Unknown category {REMOVED_VALUE}. See docs/import.md",
        "This cell holds a NUL character",
        "These columns are missing from the header row",
        "At most 100 characters (this has 101)",
    ]
    assert [error["column"] for error in cast(list, cleaned["errors"])] == [
        "victim_date_of_birth",
        "area",
        "offence_category",
        REMOVED_COLUMN,
        "source_reference, area",
        "summary",
    ]
    assert cleaned["rows"] == 3
