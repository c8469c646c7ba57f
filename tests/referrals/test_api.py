import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from dacrre.audit.models import AccessAction, AccessLog
from referrals.models import ReferralStatus
from referrals.services import referral_send
from tests.factories import VictimSideAgencyFactory
from tests.referrals.test_referrals import _caseworker, _refer


@pytest.fixture
def sent_referral(db):
    from tests.factories import CaseFactory, CaseVictimFactory, UserFactory

    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    housing = VictimSideAgencyFactory()
    return referral_send(actor=officer, referral=_refer(officer, case, victim.person, housing))


def _agency_client(agency) -> tuple[APIClient, User]:
    account = _caseworker(agency, username=f"api-{agency.pk}")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=account).key}")
    return client, account


@pytest.mark.django_db
def test_an_agency_token_lists_reads_and_accepts_its_referrals(sent_referral) -> None:
    client, account = _agency_client(sent_referral.to_agency)
    listed = client.get("/api/v1/referrals/", {"status": "sent"}).json()
    assert [r["reference"] for r in listed["results"]] == [sent_referral.reference]
    detail = client.get(f"/api/v1/referrals/{sent_referral.public_id}/").json()
    assert detail["case_reference"] == sent_referral.case.reference
    assert "Secret Lane" not in str(detail)  # contact details are never in the API payload

    accepted = client.post(f"/api/v1/referrals/{sent_referral.public_id}/accept/")
    assert accepted.status_code == 200
    assert accepted.json()["status"] == ReferralStatus.ACCEPTED
    assert list(cases_visible_to(account)) == [sent_referral.case]

    update = client.post(f"/api/v1/referrals/{sent_referral.public_id}/updates/", {"text": "Visit booked."})
    assert update.status_code == 201
    completed = client.post(f"/api/v1/referrals/{sent_referral.public_id}/complete/", {"outcome": "Rehoused."})
    assert completed.json()["status"] == ReferralStatus.COMPLETED
    assert AccessLog.objects.filter(user=account, action=AccessAction.VIEW, object_type="referral").exists()


@pytest.mark.django_db
def test_another_agencys_token_cannot_read_or_act_on_the_referral(sent_referral) -> None:
    client, _ = _agency_client(VictimSideAgencyFactory())
    assert client.get("/api/v1/referrals/").json()["results"] == []
    assert client.get(f"/api/v1/referrals/{sent_referral.public_id}/").status_code == 404
    assert client.post(f"/api/v1/referrals/{sent_referral.public_id}/accept/").status_code == 404
    assert client.post(f"/api/v1/referrals/{sent_referral.public_id}/decline/", {"reason": "x"}).status_code == 404
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.SENT


@pytest.mark.django_db
def test_errors_are_clear(sent_referral) -> None:
    client, _ = _agency_client(sent_referral.to_agency)
    missing_reason = client.post(f"/api/v1/referrals/{sent_referral.public_id}/decline/", {})
    assert missing_reason.status_code == 400
    assert "reason" in missing_reason.json()
    early = client.post(f"/api/v1/referrals/{sent_referral.public_id}/complete/", {"outcome": "Done"})
    assert early.status_code == 409
    assert early.json()["detail"] == "A sent referral cannot be completed."


@pytest.mark.django_db
def test_no_token_no_access(sent_referral) -> None:
    assert APIClient().get("/api/v1/referrals/").status_code == 401
    bad = APIClient()
    bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert bad.get("/api/v1/referrals/").status_code == 401


@pytest.mark.django_db
def test_the_openapi_schema_is_published_at_a_stable_url(sent_referral) -> None:
    client, _ = _agency_client(sent_referral.to_agency)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert "/api/v1/referrals/{id}/accept/" in schema["paths"]
    assert "/api/v1/referrals/{id}/updates/" in schema["paths"]
