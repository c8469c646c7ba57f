"""Every error under /api/ answers JSON, never one of Django's HTML pages: a body over the size
limit, a malformed id, an unknown route, a wrong method, no credentials and a server error."""

import json

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.api import CaseViewSet
from referrals.models import ReferralStatus
from tests.factories import UserFactory
from tests.referrals.test_api import _agency_client, sent_referral  # noqa: F401 - fixture


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), (response.status_code, response.content[:200])
    return response.json()


@pytest.fixture
def client(db) -> APIClient:
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=UserFactory()).key}")
    return api


@pytest.mark.django_db
@pytest.mark.parametrize("as_json", [True, False], ids=["json", "form"])
def test_a_body_over_the_size_limit_is_413_json_and_changes_nothing(sent_referral, as_json) -> None:  # noqa: F811
    api, _ = _agency_client(sent_referral.to_agency)
    reason = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    url = f"/api/v1/referrals/{sent_referral.public_id}/decline/"
    if as_json:
        response = api.post(url, json.dumps({"reason": reason}), content_type="application/json")
    else:
        response = api.post(url, {"reason": reason})
    assert response.status_code == 413
    assert "too large" in _json(response)["detail"]
    sent_referral.refresh_from_db()
    assert sent_referral.status == ReferralStatus.SENT


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/not-a-uuid/",
        "/api/v1/referrals/12345/accept/",
        "/api/v1/no-such-thing/",
        "/api/no-such-thing/",
        "/api/v1/cases/00000000-0000-0000-0000-000000000000/",
    ],
)
def test_a_malformed_id_or_unknown_route_is_404_json(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert _json(response)["detail"]


def test_a_wrong_method_is_405_json_with_allow(client) -> None:
    response = client.delete("/api/v1/cases/")
    assert response.status_code == 405
    assert "not allowed" in _json(response)["detail"]
    assert "GET" in response["Allow"]


@pytest.mark.django_db
@pytest.mark.parametrize("credentials", [None, "Token not-a-real-token"])
def test_no_or_unknown_credentials_are_401_json(credentials) -> None:
    api = APIClient()
    if credentials:
        api.credentials(HTTP_AUTHORIZATION=credentials)
    for path in ["/api/v1/cases/", "/api/v1/nothing/", "/api/schema/"]:
        response = api.get(path)
        assert response.status_code in {401, 404}, path
        assert _json(response)["detail"]
    assert api.get("/api/v1/cases/")["WWW-Authenticate"] == "Token"


def test_a_server_error_is_500_json_without_details(client, monkeypatch) -> None:
    def broken(self, request, *args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(CaseViewSet, "list", broken)
    response = client.get("/api/v1/cases/")
    assert response.status_code == 500
    body = _json(response)
    assert body == {"detail": "Server error."}


def test_pages_outside_the_api_keep_their_html_error_pages(client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
