"""The import page's help is in the app: a guide page (not a file in the repository), the sample file
to download, no stray punctuation in the progress sentence, and the import's speed kept for whoever
runs the service rather than shown to the analyst."""

import logging
import re
from pathlib import Path

import pytest

from dacrre.accounts.models import Role, Scope
from incidents.importer import COLUMNS
from incidents.models import ImportStatus, IncidentImport, OffenceCategory
from tests.factories import AreaFactory, UserFactory

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "incidents-sample.csv"


@pytest.fixture
def analyst(db):
    north = AreaFactory(name="North")
    AreaFactory(agency=north.agency, name="South")
    AreaFactory(agency=north.agency, name="West")
    return UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)


def test_the_upload_page_links_to_the_guide_and_the_sample_not_to_a_repository_file(analyst, login) -> None:
    page = login(analyst).get("/incidents/import/").content.decode()
    assert "docs/import.md" not in page
    assert 'href="/incidents/import/guide/"' in page
    assert 'href="/incidents/import/sample.csv" download' in page


def test_the_guide_explains_every_column_and_category(analyst, login) -> None:
    response = login(analyst).get("/incidents/import/guide/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">How to prepare an incident file</h1>' in page
    assert 'class="govuk-back-link"' in page
    described = re.findall(r'<tr class="govuk-table__row"><td class="govuk-table__cell">(.*?)</td>', page)
    named = {name for cell in described for name in re.findall(r"<code>([^<]+)</code>", cell)}
    assert named == set(COLUMNS)
    for code, _label in OffenceCategory.choices:
        assert f"<code>{code}</code>" in page
    assert "200,000 rows" in page


def test_the_sample_file_downloads_as_the_one_the_guide_describes(analyst, login) -> None:
    response = login(analyst).get("/incidents/import/sample.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="incidents-sample.csv"'
    assert response.content == SAMPLE.read_bytes()
    assert response.content.decode().splitlines()[0].split(",") == COLUMNS


def test_the_guide_and_sample_are_for_importers_only(analyst, login) -> None:
    officer = UserFactory(area=analyst.area, role=Role.OFFICER)
    client = login(officer)
    assert client.get("/incidents/import/guide/").status_code == 403
    assert client.get("/incidents/import/sample.csv").status_code == 403


def test_the_progress_sentence_has_no_stray_full_stop(analyst, login) -> None:
    client = login(analyst)
    for status in (ImportStatus.WAITING_CHECK, ImportStatus.CHECKING, ImportStatus.IMPORTING):
        job = IncidentImport.objects.create(
            agency=analyst.agency, uploaded_by=analyst, filename="x.csv", content="", rows_total=3000, status=status
        )
        text = re.sub(r"\s+", " ", client.get(f"/incidents/import/{job.public_id}/progress/").content.decode())
        assert ".:" not in text and ". :" not in text, text
        assert ".." not in text, text


def test_the_analyst_is_not_shown_rows_per_second_and_the_log_keeps_it(analyst, login, caplog) -> None:
    client = login(analyst)
    with caplog.at_level(logging.INFO, logger="incidents.jobs"):
        response = client.post("/incidents/import/", {"file": _upload()}, follow=True)
    page = response.content.decode()
    assert "4 new incidents" in page
    assert "rows per second" not in page
    assert any("rows per second" in record.getMessage() for record in caplog.records)


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("incidents.csv", SAMPLE.read_bytes(), content_type="text/csv")
