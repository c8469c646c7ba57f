import pytest
from django.urls import reverse
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessLog
from notes.models import NoteKind, NoteSide
from notes.services import note_write
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)


@pytest.fixture
def world(db):
    north = AreaFactory(name="North")
    officer = UserFactory(area=north)
    case = CaseFactory(area=north, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    idva_agency, probation = IdvaAgencyFactory(), ProbationAgencyFactory()
    grant_case_to(case, idva_agency, shares_victim_contact=True)
    grant_case_to(case, probation)
    idva = UserFactory(area=AreaFactory(agency=idva_agency), role=Role.IDVA, scope=Scope.AGENCY)
    worker = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    note_write(
        actor=idva,
        case=case,
        kind=NoteKind.NOTE,
        side=NoteSide.VICTIM,
        occurred_on=timezone.localdate(),
        text="Staying with her aunt in Hidden Town.",
    )
    return {"officer": officer, "case": case, "victim": victim, "idva": idva, "probation": worker}


def test_the_summary_shows_what_the_officer_may_see_and_is_logged(world, login) -> None:
    url = reverse("casefile:summary", args=[world["case"].public_id])
    client = login(world["officer"])
    assert url in client.get(reverse("cases:detail", args=[world["case"].public_id])).content.decode()
    html = client.get(url).content.decode()
    assert "1 Secret Lane" in html and "Staying with her aunt" in html and world["case"].reference in html
    assert "@media print" not in html  # the print styles are in the stylesheet
    assert AccessLog.objects.filter(
        user=world["officer"], action="export", object_label__startswith="Printable summary"
    ).exists()
    assert AccessLog.objects.filter(user=world["officer"], action="view_confidential").exists()


def test_probation_never_sees_the_victims_address_or_victim_side_notes(world, login) -> None:
    html = login(world["probation"]).get(reverse("casefile:summary", args=[world["case"].public_id])).content.decode()
    assert world["case"].reference in html
    assert "Secret Lane" not in html and "HT1 1AA" not in html and "07700" not in html
    assert "Hidden Town" not in html and "aunt" not in html


def test_a_user_who_cannot_see_the_case_gets_404(world, login) -> None:
    stranger = UserFactory(area=AreaFactory())
    assert login(stranger).get(reverse("casefile:summary", args=[world["case"].public_id])).status_code == 404


def test_the_print_stylesheet_hides_the_header_and_navigation() -> None:
    from pathlib import Path

    scss = (Path(__file__).resolve().parents[2] / "frontend" / "dacrre.scss").read_text()
    hidden = scss.split("@media print", 1)[1].split("display: none", 1)[0]
    assert ".govuk-template__header" in hidden and ".govuk-back-link" in hidden and ".govuk-button" in hidden


def test_contact_details_follow_the_case_summarised_not_another_case_of_the_victim(world, login) -> None:
    # The IDVA service has the victim's contact details on the first case, not on a second one.
    other = CaseFactory(area=world["case"].area)
    CaseVictimFactory(case=other, victim=world["victim"])
    grant_case_to(other, world["idva"].agency)
    client = login(world["idva"])
    assert "1 Secret Lane" in client.get(reverse("casefile:summary", args=[world["case"].public_id])).content.decode()
    html = client.get(reverse("casefile:summary", args=[other.public_id])).content.decode()
    assert world["victim"].person.full_name in html and "1 Secret Lane" not in html
