"""The read API: same visibility as the pages, filters, pagination, per-account rate limit."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.models import RiskLevel
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from safety_plans.models import SafetyPlan
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimConfidentialFactory,
    grant_case_to,
)


def _client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def force(db):
    officer = UserFactory(scope=Scope.AREA)
    cases = [
        CaseFactory(area=officer.area, risk_level=RiskLevel.HIGH if i % 2 else RiskLevel.STANDARD) for i in range(5)
    ]
    other_force_case = CaseFactory()
    return officer, cases, other_force_case


def test_cases_list_only_what_the_account_sees_with_filters_and_pages(force, settings) -> None:
    officer, cases, other_force_case = force
    client = _client(officer)
    body = client.get("/api/v1/cases/").json()
    references = {row["reference"] for row in body["results"]}
    assert references == {case.reference for case in cases} and body["count"] == 5
    assert other_force_case.reference not in references
    assert client.get(f"/api/v1/cases/{other_force_case.public_id}/").status_code == 404
    high = client.get("/api/v1/cases/?risk_level=high").json()
    assert high["count"] == 2 and {row["risk_level"] for row in high["results"]} == {"high"}
    paged = client.get("/api/v1/cases/?page=2&page_size=2").json()
    assert paged["count"] == 5 and paged["previous"] is not None
    assert AccessLog.objects.filter(user=officer, action=AccessAction.LIST, object_type="API cases").exists()
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/cases/")
    for _ in range(10):
        CaseFactory(area=officer.area)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/cases/")
    assert len(many) == len(few)


def test_a_perpetrator_side_account_gets_no_safety_plans_or_victim_visits_or_contact_details(db) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = VictimConfidentialFactory(address="7 Refuge Row").victim
    CaseVictimFactory(case=case, victim=victim)
    SafetyPlan.objects.create(case=case, victim=victim, version=1)
    probation = ProbationAgencyFactory()
    grant_case_to(case, probation, shares_victim_contact=True)
    worker = UserFactory(
        area=AreaFactory(agency=probation), agency=probation, role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY
    )
    client = _client(worker)
    assert client.get("/api/v1/cases/").json()["count"] == 1  # the grant: the case is shared
    assert client.get("/api/v1/safety-plans/").json()["count"] == 0
    assert _client(officer).get("/api/v1/safety-plans/").json()["count"] == 1
    for url in ["/api/v1/cases/", "/api/v1/people/", "/api/v1/visits/", "/api/v1/safety-plans/", "/api/v1/tasks/"]:
        assert "7 Refuge Row" not in client.get(url).content.decode()


def test_each_account_is_rate_limited(force, settings) -> None:
    officer, *_ = force
    settings.API_RATE_LIMIT = "3/minute"
    client = _client(officer)
    assert [client.get("/api/v1/tasks/").status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get("/api/v1/tasks/")
    assert limited.status_code == 429 and "Retry-After" in limited
    assert _client(UserFactory()).get("/api/v1/tasks/").status_code == 200  # another account is not affected
