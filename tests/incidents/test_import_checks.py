"""The check finds everything the import would otherwise fail on, and implausible dates.

Values longer than their database column, a NUL character and a cell over 131,072 characters passed
the check and then failed the import (or the upload) with a 500; incidents dated 1800 and a date of
birth in 2090 were imported. Each is now a row-and-column error at the check, and nothing is
imported while any remains."""

from pathlib import Path
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dacrre.accounts.models import Role, Scope
from incidents.importer import MAX_CELL, parse_incident_csv
from incidents.models import ImportStatus, Incident, IncidentImport
from incidents.services import incident_import
from people.models import Person
from tests.factories import AreaFactory, UserFactory

SAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "samples" / "incidents-sample.csv").read_text()
HEADER = SAMPLE.splitlines()[0]
GOOD = "R{n},2026-01-01 10:00,North,abh,yes,no,no,{pid},{given},{family},{born},,,,,{summary}"


def _row(n: int = 1, *, pid: str = "", given: str = "Alan", family: str = "Smith", born: str = "", summary: str = "x"):
    return GOOD.format(n=n, pid=pid, given=given, family=family, born=born, summary=summary)


def _errors(*rows: str) -> dict[tuple[int, str], str]:
    parsed = parse_incident_csv(HEADER + "\n" + "\n".join(rows) + "\n", known_areas={"North"})
    return {(e.row, e.column): e.message for e in parsed.errors}


def test_values_longer_than_their_database_column_are_reported_with_the_limit_of_the_model_field() -> None:
    reference = cast(int, Incident._meta.get_field("source_reference").max_length)
    name = cast(int, Person._meta.get_field("family_name").max_length)
    police_id = cast(int, Person._meta.get_field("police_identifier").max_length)
    assert (reference, name, police_id) == (60, 100, 40)
    errors = _errors(
        _row(1).replace("R1,", "R" * (reference + 1) + ",", 1),
        _row(2, family="S" * (name + 1)),
        _row(3, pid="P" * (police_id + 1)),
        _row(4, given="A" * name, pid="P" * police_id),  # at the limit: fine
    )
    assert errors == {
        (2, "source_reference"): f"At most {reference} characters (this has {reference + 1})",
        (3, "perpetrator_family_name"): f"At most {name} characters (this has {name + 1})",
        (4, "perpetrator_police_id"): f"At most {police_id} characters (this has {police_id + 1})",
    }


def test_a_nul_character_and_an_overlong_cell_are_reported_by_row_and_column() -> None:
    errors = _errors(_row(1), _row(2, summary="bad\x00byte"), _row(3, summary="x" * (MAX_CELL + 1)))
    assert set(errors) == {(3, "summary"), (4, "summary")}
    assert "NUL character" in errors[(3, "summary")]
    assert f"At most {MAX_CELL:,} characters" in errors[(4, "summary")]


def test_a_nul_in_the_header_is_reported_on_row_one() -> None:
    parsed = parse_incident_csv(HEADER.replace("summary", "sum\x00mary") + "\n" + _row(1), known_areas={"North"})
    assert [(e.row, e.column) for e in parsed.errors] == [(1, "sum\x00mary")]


def test_implausible_dates_are_refused_with_the_bounds() -> None:
    errors = _errors(
        _row(1).replace("2026-01-01 10:00", "1800-01-01 10:00"),
        _row(2, born="2090-01-01"),
        _row(3, born="1880-05-05"),
        _row(4, born="2026-06-01"),  # born after the incident of 1 January 2026
        _row(5, born="1984-03-02"),
    )
    assert errors[(2, "occurred_at")].startswith("The incident date must be between 1/1/1970 and today")
    assert errors[(3, "perpetrator_date_of_birth")].startswith("The date of birth must be between")
    assert errors[(4, "perpetrator_date_of_birth")].startswith("The date of birth must be between")
    assert errors[(5, "perpetrator_date_of_birth")] == "The date of birth is after the incident date"
    assert (6, "perpetrator_date_of_birth") not in errors


@pytest.fixture
def analyst(db):
    north = AreaFactory(name="North")
    AreaFactory(agency=north.agency, name="South")
    AreaFactory(agency=north.agency, name="West")
    return UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)


@pytest.mark.django_db
def test_one_overlong_name_refuses_the_whole_file_at_the_check(analyst) -> None:
    content = SAMPLE + _row(9, family="S" * 101) + "\n"
    report = incident_import(actor=analyst, agency=analyst.agency, content=content, dry_run=False)
    assert report["errors"] == [
        {"row": 6, "column": "perpetrator_family_name", "message": "At most 100 characters (this has 101)"}
    ]
    assert Incident.objects.count() == 0 and Person.objects.count() == 0


@pytest.mark.django_db
def test_an_upload_holding_a_nul_is_refused_with_its_row_and_column_not_a_500(analyst, login) -> None:
    client = login(analyst)
    content = SAMPLE + _row(9, summary="zero\x00byte") + "\n" + _row(10, family="S" * 101) + "\n"
    response = client.post("/incidents/import/", {"file": SimpleUploadedFile("nul\x00.csv", content.encode())})
    assert response.status_code == 302
    job = IncidentImport.objects.get()
    assert job.status == ImportStatus.REFUSED and "\x00" not in job.content and job.filename == "nul.csv"
    page = client.get(response["Location"]).content.decode()
    assert "2 problems to fix: nothing has been imported" in page
    assert "NUL character" in page and "<code>summary</code>" in page and "At most 100 characters" in page
    assert Incident.objects.count() == 0


@pytest.mark.django_db
def test_an_upload_with_a_long_reference_shows_the_error_instead_of_failing_the_import(analyst, login) -> None:
    client = login(analyst)
    content = SAMPLE + _row(9).replace("R9,", "R" * 61 + ",", 1) + "\n"
    response = client.post("/incidents/import/", {"file": SimpleUploadedFile("long.csv", content.encode())})
    page = client.get(response["Location"]).content.decode()
    assert "At most 60 characters (this has 61)" in page and "<code>source_reference</code>" in page
    assert IncidentImport.objects.get().status == ImportStatus.REFUSED
