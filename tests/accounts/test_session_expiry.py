"""Session expiry loses no work: the sign-in page says why the user was signed out; a form posted
after the session ended is kept on the server for that user only and, once they sign in again,
filled back in on its page for them to check and submit (never submitted for them); and pages carry
the timeout warning's timings for static/js/dacrre.mjs."""

import datetime
import json
import re
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from dacrre.accounts.middleware import LOGIN_AT_SESSION_KEY
from dacrre.accounts.models import KeptSubmission
from dacrre.accounts.session_expiry import COOKIE
from risk.models import Answer, RiskAssessment
from risk.questions import QUESTION_KEYS
from tests.factories import TEST_PASSWORD, CaseFactory, CaseVictimFactory, UserFactory, current_totp
from visits.models import Visit, VisitOutcome


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    return officer, case, CaseVictimFactory(case=case).victim


def _idle_timeout() -> None:
    """The idle timeout passing: the session's row has expired (the cache's copy then opens nothing)."""
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))


def _sign_in(client, user, next_url: str = "/"):
    """Through the sign-in page and the second factor, carrying `next` as their forms do."""
    password = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD, "next": next_url})
    assert password.status_code == 302
    return client.post("/accounts/second-factor/", {"token": current_totp(user), "next": next_url})


def _kept_block(html: str) -> dict:
    match = re.search(r'<script id="dacrre-kept-input" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the page carries no kept input"
    return json.loads(match.group(1))


def _dash(victim) -> dict:
    data: dict[str, str] = {f"q_{key}": Answer.YES if i < 15 else Answer.NO for i, key in enumerate(QUESTION_KEYS)}
    data["victim"] = str(victim.public_id)
    return data


def _visit(victim) -> dict:
    return {
        "subject": str(victim.public_id),
        "occurred_on": timezone.localdate().strftime("%d/%m/%Y"),
        "occurred_time": "00:05",
        "outcome": VisitOutcome.SEEN,
        "notes": "Long notes typed over forty minutes on a doorstep",
    }


@pytest.mark.django_db
def test_the_sign_in_page_says_the_idle_timeout_signed_the_user_out(client, login, officer_case) -> None:
    officer, case, _ = officer_case
    login(officer)
    _idle_timeout()
    response = client.get(f"/cases/{case.public_id}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    page = client.get(response["Location"]).content.decode()
    assert "You were signed out because you had not done anything for 30 minutes." in page


@pytest.mark.django_db
def test_the_sign_in_page_says_the_absolute_limit_ended_the_session(client, login, officer_case) -> None:
    officer, _, _ = officer_case
    login(officer)
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/")
    page = client.get(response["Location"]).content.decode()
    assert "Your session has ended because 12 hours have passed since you signed in." in page
    assert "had not done anything" not in page


@pytest.mark.django_db
def test_the_sign_in_page_says_the_user_signed_out(client, login, officer_case) -> None:
    login(officer_case[0]).post("/accounts/logout/")
    page = client.get("/accounts/login/").content.decode()
    assert "You have signed out." in page
    assert "had not done anything" not in page


@pytest.mark.django_db
def test_a_fresh_browser_gets_no_message_and_a_forged_state_is_ignored(client, officer_case) -> None:
    assert "signed-out-reason" not in client.get("/accounts/login/").content.decode()
    client.cookies[COOKIE] = f"active:{officer_case[0].pk}"  # unsigned
    assert "signed-out-reason" not in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["dash", "visit"])
def test_a_form_posted_after_the_idle_timeout_is_kept_and_filled_back_in_after_sign_in(
    client, login, officer_case, form
) -> None:
    officer, case, victim = officer_case
    url = f"/cases/{case.public_id}/risk/new/" if form == "dash" else f"/cases/{case.public_id}/visits/new/"
    data = _dash(victim) if form == "dash" else _visit(victim)
    login(officer)
    assert client.get(url).status_code == 200
    _idle_timeout()

    late = client.post(url, data, HTTP_REFERER=f"http://testserver{url}")
    assert late.status_code == 302
    assert late["Location"] == f"/accounts/login/?next={url.replace('/', '%2F')}"
    assert not RiskAssessment.objects.exists() and not Visit.objects.exists()  # not submitted
    sign_in = client.get(late["Location"]).content.decode()
    assert "What you typed has been kept: sign in again to check it and submit it." in sign_in

    back = _sign_in(client, officer, url)
    assert back["Location"] == url
    page = client.get(url).content.decode()
    assert "What you typed has been filled in: check it and submit it." in page
    kept = _kept_block(page)
    assert kept["action"] == url
    assert kept["fields"] == {name: [value] for name, value in data.items()}
    assert "csrfmiddlewaretoken" not in kept["fields"]
    assert not RiskAssessment.objects.exists() and not Visit.objects.exists()  # still not submitted
    assert not KeptSubmission.objects.exists()  # handed over once
    assert "dacrre-kept-input" not in client.get(url).content.decode()

    # The user checks it and submits it: saved as usual.
    assert client.post(url, data).status_code == 302
    assert RiskAssessment.objects.count() + Visit.objects.count() == 1


@pytest.mark.django_db
def test_kept_input_is_never_shown_to_another_account(client, login, officer_case) -> None:
    officer, case, victim = officer_case
    colleague = UserFactory(area=officer.area, scope=officer.scope)
    case.idva = colleague
    case.save()
    url = f"/cases/{case.public_id}/visits/new/"
    login(officer)
    _idle_timeout()
    client.post(url, _visit(victim))
    assert KeptSubmission.objects.filter(user=officer).count() == 1

    # Someone else signs in on the same browser and opens the same form: nothing of it.
    _sign_in(client, colleague, url)
    page = client.get(url)
    assert page.status_code == 200
    assert "dacrre-kept-input" not in page.content.decode()
    assert "doorstep" not in page.content.decode()
    assert KeptSubmission.objects.filter(user=officer).count() == 1


@pytest.mark.django_db
def test_a_form_posted_after_the_absolute_limit_is_kept_too(client, login, officer_case) -> None:
    officer, case, victim = officer_case
    url = f"/cases/{case.public_id}/visits/new/"
    login(officer)
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    late = client.post(url, _visit(victim))
    assert late["Location"].startswith("/accounts/login/")
    assert not Visit.objects.exists()
    _sign_in(client, officer, url)
    assert _kept_block(client.get(url).content.decode())["fields"]["notes"] == [
        "Long notes typed over forty minutes on a doorstep"
    ]


@pytest.mark.django_db
def test_a_post_after_signing_out_is_not_kept(client, login, officer_case) -> None:
    officer, case, victim = officer_case
    login(officer).post("/accounts/logout/")
    client.post(f"/cases/{case.public_id}/visits/new/", _visit(victim))
    assert not KeptSubmission.objects.exists()


@pytest.mark.django_db
def test_pages_carry_the_timeout_warning_and_keep_alive_renews_the_session(client, login, officer_case) -> None:
    officer, case, _ = officer_case
    login(officer)
    page = client.get(f"/cases/{case.public_id}/")
    html = page.content.decode()
    assert 'data-module="dacrre-timeout-warning"' in html
    # The idle timeout counts from its last renewal, at sign-in a moment ago (at most a minute ago).
    remaining = int(re.search(r'data-remaining-seconds="(\d+)"', html).group(1))
    assert settings.SESSION_COOKIE_AGE - settings.SESSION_RENEW_SECONDS <= remaining <= settings.SESSION_COOKIE_AGE
    assert 'data-warning-seconds="120"' in html and 'data-renewable="1"' in html
    assert "Stay signed in" in html
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert re.search(r"<script(?![^>]*(src=|application/json))[^>]*>", html) is None  # no inline script

    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(seconds=60))
    renewed = client.post("/accounts/keep-alive/")
    assert renewed.status_code == 200
    assert renewed.json()["remaining_seconds"] == settings.SESSION_COOKIE_AGE
    assert Session.objects.get().expire_date > timezone.now() + datetime.timedelta(
        seconds=settings.SESSION_COOKIE_AGE - 60
    )


@pytest.mark.django_db
def test_near_the_absolute_limit_the_warning_cannot_renew(client, login, officer_case) -> None:
    login(officer_case[0])
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS + 300
    session.save()
    html = client.get("/").content.decode()
    assert 'data-renewable="0"' in html and "Stay signed in" not in html
    assert re.search(r'data-remaining-seconds="(29\d|300)"', html)


@pytest.mark.django_db
def test_keep_alive_after_the_session_ended_says_so(client, login, officer_case) -> None:
    login(officer_case[0])
    _idle_timeout()
    response = client.post("/accounts/keep-alive/")
    assert response.status_code == 401
    assert response.json()["detail"] == "You have been signed out."
    assert "dacrre-timeout-warning" not in client.get("/accounts/login/").content.decode()
