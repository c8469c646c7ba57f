"""A data protection officer exports everything the force holds about one person, with other people's
data marked for redaction, and victims' contact details only in that victim's own export."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dacrre.audit.models import AccessAction, AccessLog
from records.models import SubjectAccessRequest
from records.subject_access import DISCLOSE, REDACT, WITHHELD
from tests.factories import AreaFactory, UserFactory
from tests.records.conftest import ADDRESS


def _export(client, person, reference):
    response = client.post(reverse("records:subject_access_person", args=[person.public_id]), {"reference": reference})
    assert response.status_code == 302
    sar = SubjectAccessRequest.objects.get(reference=reference)
    assert response["Location"] == reverse("records:subject_access_request", args=[sar.public_id])
    assert f"Export ready for {reference}" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("records:subject_access_download", args=[sar.public_id]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"] == f'attachment; filename="subject-access-{reference}.zip"'
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    sheet = load_workbook(io.BytesIO(archive.read("subject-access.xlsx")))["Records"]
    rows = [tuple("" if value is None else value for value in row) for row in sheet.values]
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode(errors="replace")
    text = "\n".join(" | ".join("" if v is None else str(v) for v in row) for row in rows)
    return sar, archive, rows, text + everything


@pytest.mark.django_db
def test_a_perpetrators_export_marks_victims_for_redaction_and_never_holds_their_address(login, records_world) -> None:
    w = records_world
    client = login(w.dpo)
    search = client.get(reverse("records:subject_access") + "?q=Quarrington").content.decode()
    assert reverse("records:subject_access_person", args=[w.perpetrator.person.public_id]) in search
    sar, archive, rows, text = _export(client, w.perpetrator.person, "SAR-2026-0142")

    assert ("Person", "", "", "Name", "Zebedee Quarrington", "The subject", DISCLOSE) in rows
    assert ("Case", w.case.reference, "", "Victim", "Yolanda Pemberforth", "Third party (victim)", REDACT) in rows
    assert any(row[4] == "Xavier" + " " + w.child.person.family_name and row[6] == REDACT for row in rows)
    assert ("Case", w.case.reference, "", "Victim's contact details", "", "Third party (victim)", WITHHELD) in rows
    assert ADDRESS not in text and "07700 900123" not in text and "Brackenfold" not in text
    assert any(name.endswith("bail.pdf") for name in archive.namelist())  # the court order: theirs to see
    assert "Dear Yolanda" not in text  # the letter to the victim is withheld
    assert not any(row[0] == "Satisfaction survey" for row in rows)  # the victim's survey is hers
    assert not any(name.endswith("door.pdf") for name in archive.namelist())  # nor the victim-side photo

    logged = AccessLog.objects.get(action=AccessAction.EXPORT, object_type="subject access export")
    assert (logged.user, logged.reason, logged.person_label) == (w.dpo, "SAR-2026-0142", "Zebedee Quarrington")
    shown = set(
        AccessLog.objects.filter(action=AccessAction.EXPORT, object_type="person shown").values_list(
            "person_label", flat=True
        )
    )
    assert {"Yolanda Pemberforth", "Wilhelmina Stayput"} <= shown


@pytest.mark.django_db
def test_a_victims_export_holds_her_own_contact_details_and_letter(login, records_world) -> None:
    w = records_world
    _, archive, rows, text = _export(login(w.dpo), w.victim.person, "SAR-2026-0143")
    assert ("Contact details", "", "", "Address", ADDRESS, "The subject", DISCLOSE) in rows
    assert (
        "Case",
        w.case.reference,
        "",
        "Perpetrator",
        "Zebedee Quarrington",
        "Third party (perpetrator)",
        REDACT,
    ) in rows
    assert "Dear Yolanda" in text  # the letter attached to her
    survey = {(row[3], row[4]) for row in rows if row[0] == "Satisfaction survey"}
    assert {("Took part", "Answered"), ("Treatment by Staff", "Completely satisfied")} <= survey
    assert all(row[5:] == ("The subject", DISCLOSE) for row in rows if row[0] == "Satisfaction survey")
    assert "Wilhelmina" in text and ("Stayput" in text)  # named, and marked for redaction
    assert all(row[6] == REDACT for row in rows if row[4] == "Wilhelmina Stayput")


@pytest.mark.django_db
def test_only_the_forces_data_protection_officers_export(login, records_world) -> None:
    w = records_world
    sar = SubjectAccessRequest.objects.create(
        person=w.perpetrator.person, agency=w.case.owning_agency, reference="SAR-1", requested_by=w.dpo
    )
    urls = [
        reverse("records:subject_access"),
        reverse("records:subject_access_person", args=[w.perpetrator.person.public_id]),
        reverse("records:subject_access_request", args=[sar.public_id]),
        reverse("records:subject_access_download", args=[sar.public_id]),
    ]
    for user in (w.officer, w.supervisor, w.idva):
        client = login(user)
        assert [client.get(url).status_code for url in urls] == [403] * 4
    other_dpo = UserFactory(area=None, agency=AreaFactory().agency, role="dpo", scope="none")  # another force's
    client = login(other_dpo)
    assert client.get(urls[0]).status_code == 200
    assert [client.get(url).status_code for url in urls[1:]] == [404] * 3
    assert "0 people found" in client.get(urls[0] + "?q=Quarrington").content.decode()
