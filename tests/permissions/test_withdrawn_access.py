"""Access that has been withdrawn is gone on the next request: a deactivated agency (its users and API
tokens), a deactivated user's token, and a grant whose end time has passed before the hourly job ran.

Issue: a user and an API token of an agency marked inactive still read the cases granted to it; a
completed referral's agency still read the case, its victims, safety plans and people until the
hourly job revoked the grant."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.access.models import CaseAccessGrant, CaseGroupObjectPermission, GrantSource
from cases.access.services import case_access_end_at
from cases.selectors import case_victim_contact_allowed, cases_visible_to
from dacrre.accounts.models import Agency, Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from referrals.models import Consent, Referral, Sharing, Urgency
from referrals.services import (
    referral_accept,
    referral_complete,
    referral_create,
    referral_send,
    referrals_expire_access,
)
from safety_plans.models import SafetyPlan
from tests.factories import (
    TEST_PASSWORD,
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    UserFactory,
    VictimSideAgencyFactory,
    grant_case_to,
)


def _caseworker(agency, **kwargs):
    return UserFactory(area=AreaFactory(agency=agency), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY, **kwargs)


def _deactivate(agency) -> None:
    Agency.objects.filter(pk=agency.pk).update(is_active=False)


@pytest.fixture
def shared(db):
    """A case granted to a housing service, and one of its caseworkers."""
    case = CaseFactory()
    CaseVictimFactory(case=case)
    housing = VictimSideAgencyFactory()
    grant_case_to(case, housing, shares_victim_contact=True)
    return case, housing, _caseworker(housing)


def test_a_signed_in_user_of_a_deactivated_agency_is_signed_out_with_the_reason(login, shared) -> None:
    case, housing, caseworker = shared
    client = login(caseworker)
    assert client.get(f"/cases/{case.public_id}/").status_code == 200
    _deactivate(housing)
    response = client.get(f"/cases/{case.public_id}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = client.get(response["Location"]).content.decode()
    assert "Your agency&#x27;s access to dacrre has been withdrawn" in page
    assert client.get("/cases/").status_code == 302  # still signed out
    assert AccessLog.objects.filter(user=caseworker, action=AccessAction.LOGOUT).exists()


def test_a_user_of_a_deactivated_agency_cannot_sign_in(client, shared) -> None:
    _, housing, caseworker = shared
    _deactivate(housing)
    response = client.post("/accounts/login/", {"username": caseworker.username, "password": TEST_PASSWORD})
    assert response.status_code == 200
    assert "Your agency&#x27;s access to dacrre has been withdrawn" in response.content.decode()


def test_the_selectors_give_nothing_to_a_user_of_a_deactivated_agency(shared) -> None:
    case, housing, caseworker = shared
    assert list(cases_visible_to(caseworker)) == [case]
    _deactivate(housing)
    caseworker.refresh_from_db()
    assert list(cases_visible_to(caseworker)) == []
    assert case_victim_contact_allowed(caseworker, case) is False


def test_api_tokens_of_a_deactivated_agency_or_user_are_refused_with_401(shared) -> None:
    case, housing, caseworker = shared
    colleague = _caseworker(housing)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=caseworker).key}")
    assert api.get(f"/api/v1/cases/{case.public_id}/").status_code == 200

    _deactivate(housing)
    response = api.get(f"/api/v1/cases/{case.public_id}/")
    assert response.status_code == 401
    assert "withdrawn" in response.json()["detail"]
    assert api.get("/api/v1/cases/").status_code == 401

    Agency.objects.filter(pk=housing.pk).update(is_active=True)
    colleague.is_active = False
    colleague.save(update_fields=["is_active"])
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=colleague).key}")
    assert api.get("/api/v1/cases/").status_code == 401


def _completed_referral(settings, case, housing, officer):
    settings.REFERRAL_ACCESS_RETENTION_DAYS = 30
    caseworker = _caseworker(housing)
    referral = referral_create(
        actor=officer,
        case=case,
        subject_person=case.victims.first().person,
        to_agency=housing,
        reason="Rehousing",
        urgency=Urgency.HIGH,
        sharing=Sharing.WITH_VICTIM_CONTACT,
        consent=Consent.GIVEN,
        consent_method="written",
    )
    referral = referral_accept(actor=caseworker, referral=referral_send(actor=officer, referral=referral))
    return referral_complete(actor=caseworker, referral=referral, outcome="Rehoused"), caseworker


@pytest.mark.django_db
def test_completing_a_referral_puts_its_end_on_the_grant_and_the_permission_rows(settings) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    CaseVictimFactory(case=case)
    housing = VictimSideAgencyFactory()
    referral, caseworker = _completed_referral(settings, case, housing, officer)
    grant = CaseAccessGrant.objects.get(source_id=referral.public_id)
    assert grant.expires_at == referral.access_ends_at
    rows = CaseGroupObjectPermission.objects.filter(group=housing.group, content_object=case)
    assert {row.permission.codename for row in rows} == {"view_case", "view_victim_contact"}
    assert {row.expires_at for row in rows} == {referral.access_ends_at}
    assert list(cases_visible_to(caseworker)) == [case]  # within the retention window


@pytest.mark.django_db
def test_an_ended_grant_opens_nothing_on_the_next_request_before_the_hourly_job(login, settings) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    plan = SafetyPlan.objects.create(case=case, victim=victim, version=1)
    housing = VictimSideAgencyFactory()
    referral, caseworker = _completed_referral(settings, case, housing, officer)
    urls = [
        f"/cases/{case.public_id}/",
        f"/victims/{victim.public_id}/",
        f"/perpetrators/{case.perpetrator.public_id}/",
        f"/perpetrators/{case.perpetrator.public_id}/interventions/new/",
        f"/cases/{case.public_id}/safety-plans/{victim.public_id}/",
        f"/api/v1/cases/{case.public_id}/",
        f"/api/v1/safety-plans/{plan.public_id}/",
    ]
    client = login(caseworker)
    assert [client.get(url).status_code for url in urls] == [200] * len(urls)

    # The retention window ends (as the clock would move past it); the hourly job has not run.
    ended = timezone.now() - datetime.timedelta(seconds=1)
    Referral.objects.filter(pk=referral.pk).update(access_ends_at=ended)
    case_access_end_at(source_kind=GrantSource.REFERRAL, source_id=referral.public_id, ends_at=ended)
    assert CaseAccessGrant.objects.get(source_id=referral.public_id).revoked_at is None
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert case.reference not in client.get("/cases/").content.decode()
    caseworker.refresh_from_db()
    assert case_victim_contact_allowed(caseworker, case) is False

    # The job then tidies: the grant is revoked for the record, and logged.
    assert referrals_expire_access() == 1
    assert AccessLog.objects.filter(action=AccessAction.REVOKE, case_reference=case.reference).exists()
    assert not CaseGroupObjectPermission.objects.filter(group=housing.group).exists()


@pytest.mark.django_db
def test_an_open_ended_grant_from_another_source_keeps_access_after_one_ends(settings) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    CaseVictimFactory(case=case)
    housing = VictimSideAgencyFactory()
    referral, caseworker = _completed_referral(settings, case, housing, officer)
    grant_case_to(case, housing)  # a second source, with no end
    case_access_end_at(
        source_kind=GrantSource.REFERRAL, source_id=referral.public_id, ends_at=timezone.now() - datetime.timedelta(1)
    )
    assert list(cases_visible_to(caseworker)) == [case]
    # Contact details came with the referral only: they end with it.
    assert case_victim_contact_allowed(caseworker, case) is False
