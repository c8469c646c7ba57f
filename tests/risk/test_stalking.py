"""Stalking screening as an officer and an IDVA use it: eleven questions beside the DASH, high risk
flagged with the referral to the stalking pathway, the answers never shown to perpetrator-side
agencies."""

import pytest
from django.urls import reverse

from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ApplicationError, ConflictError
from risk.models import StalkingScreening
from risk.stalking import STALKING_KEYS, shows_high_risk
from risk.stalking_services import stalking_pathway_referral_record, stalking_screening_record
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    return officer, case, CaseVictimFactory(case=case).victim


def test_what_shows_high_risk() -> None:
    none = dict.fromkeys(STALKING_KEYS, "no")
    assert not shows_high_risk(none)
    assert shows_high_risk(none | {"threats": "yes"})  # on its own
    four = dict(none, property_damage="yes", following="yes", engaged_others="yes", third_parties="yes")
    assert not shows_high_risk(four)
    assert shows_high_risk(four | {"abusive_to_family": "yes"})  # five


@pytest.mark.django_db
def test_an_officer_screens_is_told_to_refer_and_records_the_referral_once(officer_case, login) -> None:
    officer, case, victim = officer_case
    client = login(officer)
    incomplete = client.post(
        reverse("risk:stalking_new", args=[case.public_id]),
        {"victim": str(victim.public_id), "s_very_frightened": "yes", "notes": "Follows her to work"},
    )
    page = incomplete.content.decode()
    assert "Answer question 2" in page and "Follows her to work" in page  # kept
    answers = {f"s_{key}": "no" for key in STALKING_KEYS} | {"s_very_frightened": "yes"}
    response = client.post(
        reverse("risk:stalking_new", args=[case.public_id]), {"victim": str(victim.public_id), **answers}, follow=True
    )
    page = response.content.decode()
    assert "Stalking screening saved." in page and "Refer the case to the stalking pathway" in page
    screening = StalkingScreening.objects.get()
    assert screening.high_risk and screening.yes_count == 1
    case_page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "High risk: refer to the stalking pathway" in case_page
    client.post(reverse("risk:stalking_referral", args=[case.public_id, screening.public_id]))
    screening.refresh_from_db()
    assert screening.referred_on is not None and screening.referred_by == officer
    with pytest.raises(ConflictError, match="already|was recorded"):
        stalking_pathway_referral_record(actor=officer, screening=screening)
    assert (
        "Referred to the stalking pathway"
        in client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    )


@pytest.mark.django_db
def test_probation_never_sees_the_answers_and_cannot_screen(officer_case, login) -> None:
    officer, case, victim = officer_case
    screening = stalking_screening_record(
        actor=officer, case=case, victim=victim, answers=dict.fromkeys(STALKING_KEYS, "yes")
    )
    probation = ProbationAgencyFactory()
    grant_case_to(case, probation)
    worker = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    with pytest.raises(ApplicationError):
        stalking_screening_record(actor=worker, case=case, victim=victim, answers=dict.fromkeys(STALKING_KEYS, "no"))
    client = login(worker)
    assert client.get(reverse("risk:stalking_detail", args=[case.public_id, screening.public_id])).status_code == 403
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Stalking screening" not in page
    other = CaseFactory()
    assert login(officer).get(reverse("risk:stalking_new", args=[other.public_id])).status_code == 404
