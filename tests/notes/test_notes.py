import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessLog
from dacrre.core.exceptions import CaseClosedError, PermissionDeniedError
from notes.models import Annotation, Note, NoteKind, NoteSide
from notes.services import note_annotate, note_correct, note_write
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)

TODAY = timezone.localdate


@pytest.fixture
def world(db):
    north = AreaFactory(name="North")
    officer = UserFactory(area=north)
    case = CaseFactory(area=north, spoc=officer)
    CaseVictimFactory(case=case)
    idva_agency, probation = IdvaAgencyFactory(), ProbationAgencyFactory()
    grant_case_to(case, idva_agency, shares_victim_contact=True)
    grant_case_to(case, probation)
    idva = UserFactory(area=AreaFactory(agency=idva_agency), role=Role.IDVA, scope=Scope.AGENCY)
    probation_worker = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    return {"officer": officer, "case": case, "idva": idva, "probation": probation_worker, "area": north}


def _note(world, *, side=NoteSide.VICTIM, author=None, **extra):
    data = {"kind": NoteKind.NOTE, "text": "Victim moved to her sister's in Hidden Town."} | extra
    return note_write(actor=author or world["idva"], case=world["case"], side=side, occurred_on=TODAY(), **data)


def test_an_idva_logs_a_contact_from_the_case_page(world, login) -> None:
    client = login(world["idva"])
    case = world["case"]
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Notes and contacts" in page and reverse("notes:new", args=[case.public_id]) in page
    response = client.get(reverse("notes:new", args=[case.public_id]) + "?kind=contact")
    assert response.status_code == 200
    note = _note(world, kind=NoteKind.CONTACT, method="phone", with_whom="Victim", outcome="Safe; agreed to a visit")
    assert note.method == "phone" and case.chronology.filter(kind="note", visibility="victim_side").exists()


def test_a_contact_needs_its_method(world) -> None:
    with pytest.raises(Exception, match="how the contact was made"):
        _note(world, kind=NoteKind.CONTACT)


def test_probation_never_sees_a_victim_side_note(world, login) -> None:
    secret = _note(world)
    shared = _note(world, side=NoteSide.PERPETRATOR, text="Perpetrator attending Drive sessions.")
    client = login(world["probation"])
    case = world["case"]
    for url in (reverse("notes:list", args=[case.public_id]), reverse("cases:detail", args=[case.public_id])):
        html = client.get(url).content.decode()
        assert "Hidden Town" not in html and str(secret.public_id) not in html
    assert "Drive sessions" in client.get(reverse("notes:list", args=[case.public_id])).content.decode()
    assert client.get(reverse("notes:detail", args=[case.public_id, secret.public_id])).status_code == 404
    assert client.get(reverse("notes:detail", args=[case.public_id, shared.public_id])).status_code == 200
    # Probation writes perpetrator-side notes only.
    with pytest.raises(Exception, match="perpetrator-side notes only"):
        _note(world, author=world["probation"])
    form = client.get(reverse("notes:new", args=[case.public_id])).content.decode()
    assert 'value="victim"' not in form and 'value="perpetrator"' in form


def test_the_author_corrects_within_24_hours_with_history(world, login) -> None:
    note = _note(world)
    note_correct(actor=world["idva"], note=note, text="Corrected text.", occurred_on=TODAY())
    note.refresh_from_db()
    assert note.text == "Corrected text." and note.history.count() == 2
    with pytest.raises(PermissionDeniedError):
        note_correct(actor=world["officer"], note=note, text="Not mine.", occurred_on=TODAY())
    client = login(world["officer"])
    assert client.get(reverse("notes:edit", args=[world["case"].public_id, note.public_id])).status_code == 403


def test_after_24_hours_a_note_is_annotated_not_edited(world, login) -> None:
    note = _note(world)
    Note.objects.filter(pk=note.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    note.refresh_from_db()
    with pytest.raises(PermissionDeniedError):
        note_correct(actor=world["idva"], note=note, text="Too late.", occurred_on=TODAY())
    client = login(world["idva"])
    case = world["case"]
    assert client.get(reverse("notes:edit", args=[case.public_id, note.public_id])).status_code == 403
    note_annotate(actor=world["idva"], note=note, text="She has since returned home.")
    note.refresh_from_db()
    assert note.text == "Victim moved to her sister's in Hidden Town."
    assert Annotation.objects.get(note=note).text == "She has since returned home."
    html = client.get(reverse("notes:detail", args=[case.public_id, note.public_id])).content.decode()
    assert "returned home" in html and "Correct this note" not in html


def test_a_closed_case_is_read_only(world, login) -> None:
    note = _note(world)
    case = world["case"]
    case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
    case.save()
    with pytest.raises(CaseClosedError):
        _note(world)
    with pytest.raises(CaseClosedError):
        note_annotate(actor=world["idva"], note=note, text="Too late.")
    html = login(world["idva"]).get(reverse("notes:list", args=[case.public_id])).content.decode()
    assert reverse("notes:new", args=[case.public_id]) not in html


def test_viewing_a_note_is_on_the_access_log(world, login) -> None:
    note = _note(world)
    login(world["officer"]).get(reverse("notes:detail", args=[world["case"].public_id, note.public_id]))
    assert AccessLog.objects.filter(user=world["officer"], object_type="note", object_id=str(note.public_id)).exists()


def test_note_list_queries_constant(world, login) -> None:
    client = login(world["officer"])
    url = reverse("notes:list", args=[world["case"].public_id])
    _note(world)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(5):
        note = _note(world, text=f"Note {n}")
        note_annotate(actor=world["officer"], note=note, text="Seen.")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("Seen.") == 5
    assert len(many) == len(few)


def test_case_page_queries_constant_as_notes_grow(world, login) -> None:
    client = login(world["officer"])
    url = reverse("cases:detail", args=[world["case"].public_id])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(7):
        _note(world, text=f"Note {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
