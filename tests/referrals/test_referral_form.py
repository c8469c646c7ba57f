"""The referral form says what a perpetrator-side agency receives (issue 15 item 17): ticking "a
summary and the victim's contact details" for probation or a perpetrator programme used to become
"summary only" without a word."""

import pytest

from cases.selectors import case_victim_contact_allowed
from referrals.models import Consent, Referral, Sharing, Urgency
from referrals.services import referral_accept
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimConfidentialFactory,
    VictimSideAgencyFactory,
)


@pytest.fixture
def referral_page(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = VictimConfidentialFactory(phone="07700 900777").victim
    CaseVictimFactory(case=case, victim=victim)
    return officer, case, victim, ProbationAgencyFactory(), VictimSideAgencyFactory()


def _form(agency, victim, sharing):
    return {
        "to_agency": str(agency.pk),
        "subject_person": str(victim.person_id),
        "reason": "Risk to the victim from the perpetrator's release plans",
        "urgency": Urgency.HIGH,
        "sharing": sharing,
        "consent": Consent.GIVEN,
        "consent_method": "verbal",
        "send": "1",
    }


@pytest.mark.django_db
def test_contact_details_for_a_perpetrator_side_agency_are_refused_on_the_form(referral_page, login) -> None:
    officer, case, victim, probation, housing = referral_page
    client = login(officer)
    url = f"/cases/{case.public_id}/referrals/new/"
    page = client.get(url).content.decode()
    assert f"{probation.name} (perpetrator-side: summary only)</option>" in page
    assert f"{housing.name}</option>" in page
    assert "never receive the victim&#x27;s contact details: choose a summary only for them" in page

    refused = client.post(url, _form(probation, victim, Sharing.WITH_VICTIM_CONTACT))
    html = refused.content.decode()
    assert refused.status_code == 200
    assert f"{probation.name} is a perpetrator-side agency and never receives the victim&#x27;s contact details" in html
    assert "Risk to the victim from the perpetrator&#x27;s release plans" in html  # what was typed is kept
    assert not Referral.objects.exists()

    sent = client.post(url, _form(probation, victim, Sharing.SUMMARY))
    assert sent.status_code == 302
    referral = Referral.objects.get()
    assert (referral.to_agency, referral.sharing) == (probation, Sharing.SUMMARY)
    worker = UserFactory(area=AreaFactory(agency=probation), role="partner_caseworker")
    referral_accept(actor=worker, referral=referral)
    assert case_victim_contact_allowed(worker, case) is False
    assert "07700 900777" not in login(worker).get(f"/cases/{case.public_id}/").content.decode()


@pytest.mark.django_db
def test_a_victim_side_agency_receives_contact_details_when_ticked(referral_page, login) -> None:
    officer, case, victim, _, housing = referral_page
    client = login(officer)
    sent = client.post(f"/cases/{case.public_id}/referrals/new/", _form(housing, victim, Sharing.WITH_VICTIM_CONTACT))
    assert sent.status_code == 302
    referral = Referral.objects.get()
    assert referral.sharing == Sharing.WITH_VICTIM_CONTACT
    worker = UserFactory(area=AreaFactory(agency=housing), role="partner_caseworker")
    referral_accept(actor=worker, referral=referral)
    assert case_victim_contact_allowed(worker, case) is True
