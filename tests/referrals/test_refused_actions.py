"""A referral action the rules or the referral's state refuse shows the reason on the referral's page
and writes nothing (it answered 500: the view stored a string where a form was expected)."""

import pytest

from dacrre.accounts.models import Role, Scope
from referrals.models import Consent, Referral, ReferralStatus, Sharing, Urgency
from referrals.services import referral_accept, referral_create, referral_decline, referral_send
from tests.factories import AreaFactory, CaseFactory, CaseVictimFactory, UserFactory, VictimSideAgencyFactory


@pytest.fixture
def sent(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    housing = VictimSideAgencyFactory()
    caseworker = UserFactory(area=AreaFactory(agency=housing), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    referral = referral_create(
        actor=officer,
        case=case,
        subject_person=victim.person,
        to_agency=housing,
        reason="Needs rehousing.",
        urgency=Urgency.HIGH,
        sharing=Sharing.WITH_VICTIM_CONTACT,
        consent=Consent.GIVEN,
        consent_method="verbal",
    )
    return officer, caseworker, referral_send(actor=officer, referral=referral)


def _snapshot(referral: Referral) -> tuple:
    referral.refresh_from_db()
    return referral.status, referral.responded_at, referral.decline_reason, referral.updates.count()


def test_accepting_a_referral_already_accepted_says_so(login, sent) -> None:
    _, caseworker, referral = sent
    referral_accept(actor=caseworker, referral=referral)
    before = _snapshot(referral)
    response = login(caseworker).post(f"/referrals/{referral.public_id}/accept/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "An accepted referral cannot be accepted." in html
    assert _snapshot(referral) == before


def test_declining_a_referral_that_can_no_longer_be_declined_says_so(login, sent) -> None:
    _, caseworker, referral = sent
    referral_decline(actor=caseworker, referral=referral, reason="No capacity")
    before = _snapshot(referral)
    response = login(caseworker).post(f"/referrals/{referral.public_id}/decline/", {"reason": "Another reason"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "A declined referral cannot be declined." in html
    assert _snapshot(referral) == before


def test_the_sending_agency_cannot_accept_or_decline_its_own_referral(login, sent) -> None:
    officer, _, referral = sent
    before = _snapshot(referral)
    client = login(officer)
    accept = client.post(f"/referrals/{referral.public_id}/accept/")
    assert accept.status_code == 403
    assert "Only the agency the referral was sent to can accept it." in accept.content.decode()
    decline = client.post(f"/referrals/{referral.public_id}/decline/", {})
    assert decline.status_code == 403  # refused before the (empty) form is read
    assert "Only the agency the referral was sent to can decline it." in decline.content.decode()
    assert _snapshot(referral) == before


def test_an_agency_the_referral_is_not_addressed_to_gets_not_found(login, sent) -> None:
    _, _, referral = sent
    stranger = UserFactory(area=AreaFactory(agency=VictimSideAgencyFactory()), role=Role.PARTNER_CASEWORKER)
    before = _snapshot(referral)
    client = login(stranger)
    for action in ("accept", "decline", "complete", "update", "withdraw", "send"):
        assert client.post(f"/referrals/{referral.public_id}/{action}/", {"reason": "x"}).status_code == 404
    assert _snapshot(referral) == before


def test_the_receiving_agency_accepts_through_the_page(login, sent) -> None:
    _, caseworker, referral = sent
    response = login(caseworker).post(f"/referrals/{referral.public_id}/accept/", follow=True)
    assert response.status_code == 200
    assert f"Referral {referral.reference} accepted" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_the_api_refuses_the_sending_agency_before_reading_the_body(sent) -> None:
    from rest_framework.test import APIClient

    officer, _, referral = sent
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/referrals/{referral.public_id}/decline/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the agency the referral was sent to can decline it."
    assert _snapshot(referral)[0] == ReferralStatus.SENT
