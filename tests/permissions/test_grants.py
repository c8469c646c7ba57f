import uuid

import pytest

from cases.access.models import GrantSource
from cases.access.services import case_access_grant, case_access_revoke, case_access_revoke_all
from cases.selectors import case_victim_contact_allowed, cases_visible_to
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimSideAgencyFactory,
    grant_case_to,
)


def _agency_user(agency, **kwargs):
    return UserFactory(area=AreaFactory(agency=agency), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY, **kwargs)


@pytest.mark.django_db
def test_a_grant_takes_effect_on_the_next_request_and_revocation_too(login) -> None:
    case = CaseFactory()
    housing = VictimSideAgencyFactory()
    caseworker = _agency_user(housing)
    client = login(caseworker)
    url = f"/cases/{case.public_id}/"
    assert client.get(url).status_code == 404

    grant = grant_case_to(case, housing)
    assert client.get(url).status_code == 200

    case_access_revoke(
        actor=None, source_kind=grant.source_kind, source_id=grant.source_id, reason="Referral withdrawn"
    )
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_revoking_one_source_keeps_access_given_by_another() -> None:
    case = CaseFactory()
    housing = VictimSideAgencyFactory()
    caseworker = _agency_user(housing)
    referral = grant_case_to(case, housing)
    meeting_id = uuid.uuid4()
    case_access_grant(actor=None, case=case, agency=housing, source_kind=GrantSource.MEETING, source_id=meeting_id)

    case_access_revoke(actor=None, source_kind=GrantSource.REFERRAL, source_id=referral.source_id, reason="Completed")
    assert list(cases_visible_to(caseworker)) == [case]

    case_access_revoke(
        actor=None, source_kind=GrantSource.MEETING, source_id=meeting_id, reason="Meeting purpose ended"
    )
    assert list(cases_visible_to(caseworker)) == []


@pytest.mark.django_db
def test_case_closure_revokes_every_grant() -> None:
    case = CaseFactory()
    housing, probation = VictimSideAgencyFactory(), ProbationAgencyFactory()
    grant_case_to(case, housing)
    grant_case_to(case, probation)
    assert case_access_revoke_all(actor=None, case=case, reason="Case closed") == 2
    assert list(cases_visible_to(_agency_user(housing))) == []
    assert list(cases_visible_to(_agency_user(probation))) == []


@pytest.mark.django_db
def test_a_grant_covers_the_granted_agency_only() -> None:
    case = CaseFactory()
    grant_case_to(case, VictimSideAgencyFactory())
    assert list(cases_visible_to(_agency_user(VictimSideAgencyFactory()))) == []


@pytest.mark.django_db
def test_victim_contact_is_shared_only_with_consent_and_never_with_perpetrator_side() -> None:
    case = CaseFactory()
    housing, other_housing, probation = VictimSideAgencyFactory(), VictimSideAgencyFactory(), ProbationAgencyFactory()
    grant_case_to(case, housing, shares_victim_contact=True)
    grant_case_to(case, other_housing, shares_victim_contact=False)
    grant_case_to(case, probation, shares_victim_contact=True)

    assert case_victim_contact_allowed(_agency_user(housing), case) is True
    assert case_victim_contact_allowed(_agency_user(other_housing), case) is False
    assert case_victim_contact_allowed(_agency_user(probation), case) is False


@pytest.mark.django_db
def test_granting_and_revoking_are_logged_as_disclosures() -> None:
    case = CaseFactory()
    housing = VictimSideAgencyFactory()
    sender = UserFactory(area=case.area)
    grant = grant_case_to(case, housing, shares_victim_contact=True, actor=sender)
    case_access_revoke(actor=sender, source_kind=grant.source_kind, source_id=grant.source_id, reason="Withdrawn")
    disclosure = AccessLog.objects.get(action=AccessAction.DISCLOSE)
    assert disclosure.user == sender
    assert disclosure.case_reference == case.reference
    assert housing.name in disclosure.object_label
    assert "victim contact details shared" in disclosure.detail
    assert AccessLog.objects.get(action=AccessAction.REVOKE).reason == "Withdrawn"


@pytest.mark.django_db
def test_shared_contact_details_reach_the_granted_victim_side_agency_page(login) -> None:
    link = CaseVictimFactory()
    housing = VictimSideAgencyFactory()
    grant_case_to(link.case, housing, shares_victim_contact=True)
    html = login(_agency_user(housing)).get(f"/victims/{link.victim.public_id}/").content.decode()
    assert "Secret Lane" in html
