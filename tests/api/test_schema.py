"""The OpenAPI schema and its documentation: only for signed-in users (both factors) and tokens, and
they say what the API answers: every error status where it applies, and no value outside an enum."""

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dacrre.audit.models import AccessLog
from risk.models import Answer, RiskAssessment
from risk.questions import QUESTION_KEYS
from tests.factories import TEST_PASSWORD, CaseFactory, CaseVictimFactory, UserFactory

SCHEMA_JSON: dict[str, Any] = {"HTTP_ACCEPT": "application/vnd.oai.openapi+json"}


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.django_db
def test_the_schema_and_documentation_are_refused_without_sign_in(client) -> None:
    schema = client.get("/api/schema/")
    assert schema.status_code == 401
    assert schema.json()["detail"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/accounts/login/?next=/api/docs/")


@pytest.mark.django_db
def test_a_password_alone_does_not_open_the_schema(client) -> None:
    user = UserFactory()
    client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
    for path in ["/api/schema/", "/api/docs/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/second-factor/")


@pytest.mark.django_db
def test_a_signed_in_user_and_a_token_get_the_schema_and_documentation(login) -> None:
    user = UserFactory()
    session = login(user)
    assert session.get("/api/schema/").status_code == 200
    docs = session.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    token = _token_client(UserFactory())
    assert token.get("/api/schema/", **SCHEMA_JSON).json()["openapi"].startswith("3.")
    assert token.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_every_operation_lists_the_error_statuses_it_answers() -> None:
    schema = _token_client(UserFactory()).get("/api/schema/", **SCHEMA_JSON).json()
    paths = schema["paths"]
    assert not [path for path in paths if "{format}" in path]

    def codes(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"])

    assert {"200", "400", "401", "404", "429"} <= codes("/api/v1/cases/", "get")
    assert {"200", "401", "404", "429"} <= codes("/api/v1/cases/{public_id}/", "get")
    assert {"200", "400", "401", "403", "404", "409", "413", "429"} <= codes("/api/v1/referrals/{id}/accept/", "post")
    for item in paths.values():
        for operation in item.values():
            assert {"401", "404", "429"} <= set(operation["responses"])
    errors = paths["/api/v1/cases/"]["get"]["responses"]
    assert errors["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Retry-After" in errors["429"]["headers"]


@pytest.mark.django_db
def test_an_assessment_without_a_judgement_answers_null_which_the_schema_allows() -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    RiskAssessment.objects.create(
        case=case,
        victim=victim,
        assessed_by=officer,
        answers=dict.fromkeys(QUESTION_KEYS, Answer.NO),
        yes_count=0,
        score_level="standard",
        final_level="standard",
        visible_high_risk=False,
        potential_escalation=False,
        repeat_marac=False,
    )
    client = _token_client(officer)
    row = client.get("/api/v1/risk-assessments/").json()["results"][0]
    assert row["judgement_level"] is None
    field = client.get("/api/schema/", **SCHEMA_JSON).json()["components"]["schemas"]["RiskAssessment"]["properties"][
        "judgement_level"
    ]
    assert field["nullable"] is True
    assert AccessLog.objects.filter(user=officer).exists()
