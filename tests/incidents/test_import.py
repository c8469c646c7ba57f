from pathlib import Path
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from incidents.importer import parse_incident_csv
from incidents.models import ImportStatus, Incident, IncidentImport
from incidents.services import incident_import
from people.models import Person
from tests.factories import AreaFactory, PersonFactory, UserFactory

SAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "samples" / "incidents-sample.csv").read_text()
HEADER = SAMPLE.splitlines()[0]


@pytest.fixture
def analyst(db):
    north = AreaFactory(name="North")
    AreaFactory(agency=north.agency, name="South")
    AreaFactory(agency=north.agency, name="West")
    return UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)


def test_every_row_error_has_row_column_and_what_to_fix() -> None:
    content = (
        HEADER
        + "\n"
        + "\n".join(
            [
                "R1,2026-13-01 10:00,North,abh,yes,no,no,,A,B,,,,,,",
                "R2,2026-01-01 10:00,Nowhere,punching,maybe,no,no,,A,,,,,,,",
                "R1,2026-01-01 10:00,North,abh,yes,no,no,,A,B,,,X,,,",
            ]
        )
    )
    parsed = parse_incident_csv(content, known_areas={"North"})
    found = {(e.row, e.column) for e in parsed.errors}
    assert (2, "occurred_at") in found
    assert {(3, "area"), (3, "offence_category"), (3, "is_crime"), (3, "perpetrator_family_name")} <= found
    assert (4, "source_reference") in found  # duplicate of row 2
    assert (4, "victim_family_name") in found
    assert any("Use one of: North" in e.message for e in parsed.errors)


def test_a_missing_column_is_reported_on_the_header_row() -> None:
    parsed = parse_incident_csv("source_reference,area\nR1,North\n", known_areas={"North"})
    assert parsed.errors[0].row == 1 and "occurred_at" in parsed.errors[0].column


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_import_is_all_or_nothing(analyst) -> None:
    report = incident_import(actor=analyst, agency=analyst.agency, content=SAMPLE, dry_run=True)
    assert report["errors"] == [] and len(cast(list, report["created"])) == 4
    assert Incident.objects.count() == 0 and Person.objects.count() == 0
    broken = SAMPLE + "NP/26/90005,2026-10-22 10:00,North,abh,yes,no,no,,X,,,,,,,\n"
    refused = incident_import(actor=analyst, agency=analyst.agency, content=broken, dry_run=False)
    assert refused["errors"] and Incident.objects.count() == 0
    done = incident_import(actor=analyst, agency=analyst.agency, content=SAMPLE, dry_run=False)
    assert len(cast(list, done["created"])) == 4 and Incident.objects.count() == 4
    carl = Person.objects.get(police_identifier="NP900001")
    assert carl.perpetrator.incidents.count() == 2


@pytest.mark.django_db
def test_reimport_is_idempotent_and_reports_changes(analyst) -> None:
    incident_import(actor=analyst, agency=analyst.agency, content=SAMPLE, dry_run=False)
    again = incident_import(actor=analyst, agency=analyst.agency, content=SAMPLE, dry_run=False)
    assert (again["created"], again["updated"], again["unchanged"]) == ([], [], 4)
    changed = SAMPLE.replace(
        "NP/26/90003,2026-10-20 18:45,South,stalking,yes,no,no",
        "NP/26/90003,2026-10-20 18:45,South,harassment,yes,yes,no",
    )
    report = incident_import(actor=analyst, agency=analyst.agency, content=changed, dry_run=False)
    assert report["updated"] == [{"source_reference": "NP/26/90003", "changed": ["offence_category", "injury"]}]
    assert Incident.objects.count() == 4


@pytest.mark.django_db
def test_people_are_matched_by_police_id_then_name_and_birth_date(analyst) -> None:
    existing = PersonFactory(given_name="Carl", family_name="Example", police_identifier="NP900001")
    erin = PersonFactory(given_name="Erin", family_name="Madeup", police_identifier=None, date_of_birth="1990-01-05")
    report = incident_import(actor=analyst, agency=analyst.agency, content=SAMPLE, dry_run=False)
    assert Person.objects.get(police_identifier="NP900001") == existing
    assert erin.victim.incidents.count() == 1
    assert cast(int, report["people_matched"]) >= 2


@pytest.mark.django_db
def test_the_pages_check_then_import_and_log_the_collection(analyst, login) -> None:
    client = login(analyst)
    response = client.post("/incidents/import/", {"file": SimpleUploadedFile("extract.csv", SAMPLE.encode())})
    job = IncidentImport.objects.get()
    assert response["Location"] == f"/incidents/import/{job.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "4 new incidents" in page and Incident.objects.count() == 0
    client.post(f"/incidents/import/{job.public_id}/confirm/")
    job.refresh_from_db()
    assert job.status == ImportStatus.IMPORTED and Incident.objects.count() == 4
    assert AccessLog.objects.filter(action=AccessAction.COLLECT, user=analyst).exists()
    bad = client.post("/incidents/import/", {"file": SimpleUploadedFile("bad.csv", b"source_reference\nR1\n")})
    errors_page = client.get(bad["Location"]).content.decode()
    assert "nothing has been imported" in errors_page and "These columns are missing" in errors_page
    not_csv = client.post("/incidents/import/", {"file": SimpleUploadedFile("x.xlsx", b"abc")})
    assert "The file must be a CSV file" in not_csv.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.PARTNER_CASEWORKER, Role.ADMIN])
def test_only_analysts_import(analyst, login, role) -> None:
    user = UserFactory(area=analyst.area, role=role, is_superuser=role == Role.ADMIN)
    assert login(user).get("/incidents/import/").status_code == 403


@pytest.mark.django_db
def test_a_time_in_the_hour_the_clocks_skip_reimports_unchanged(analyst) -> None:
    # 01:30 on 29 March 2026 does not exist in UK time; the row must still be idempotent.
    content = HEADER + "\nR1,2026-03-29 01:30,North,abh,yes,no,no,,A,B,,,,,,\n"
    incident_import(actor=analyst, agency=analyst.agency, content=content, dry_run=False)
    again = incident_import(actor=analyst, agency=analyst.agency, content=content, dry_run=False)
    assert (again["created_count"], again["updated_count"], again["unchanged"]) == (0, 0, 1)
