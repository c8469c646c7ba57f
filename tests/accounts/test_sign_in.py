import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dacrre.accounts.middleware import LOGIN_AT_SESSION_KEY
from dacrre.accounts.models import Role
from dacrre.audit.models import AccessAction, AccessLog
from tests.factories import TEST_PASSWORD, CaseFactory, UserFactory, current_totp

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _password(client, user, password=TEST_PASSWORD):
    return client.post("/accounts/login/", {"username": user.username, "password": password})


def _code_for(device: TOTPDevice) -> str:
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@pytest.mark.django_db
def test_a_password_alone_does_not_open_any_page(client) -> None:
    user = UserFactory()
    assert _password(client, user).status_code == 302
    for path in ["/", "/cases/", "/admin/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/second-factor/")


@pytest.mark.django_db
def test_the_second_factor_opens_the_caseload_and_a_wrong_code_does_not(client) -> None:
    user = UserFactory()
    _password(client, user)
    wrong = client.post("/accounts/second-factor/", {"token": "000000"})
    assert "The code is not correct or has expired" in wrong.content.decode()
    assert client.get("/").status_code == 302
    right = client.post("/accounts/second-factor/", {"token": current_totp(user), "next": "/cases/"})
    assert right.status_code == 302
    assert right["Location"] == "/cases/"
    assert client.get("/").status_code == 200
    assert AccessLog.objects.filter(user=user, action=AccessAction.LOGIN, detail__contains="second factor").exists()


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_confirms_with_a_code_and_gives_recovery_codes_once(client) -> None:
    user = UserFactory(authenticator=False)
    _password(client, user)
    page = client.get("/accounts/second-factor/").content.decode()
    assert "Set up your authenticator app" in page
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post("/accounts/second-factor/", {"token": "12345"})
    assert "Enter the 6-digit code from your authenticator app" in wrong.content.decode()
    assert "There is a problem" in wrong.content.decode()

    confirmed = client.post("/accounts/second-factor/", {"token": _code_for(device)})
    assert confirmed.status_code == 302
    codes_page = client.get(confirmed["Location"]).content.decode()
    codes = re.findall(r"<code>(\w+)</code>", codes_page)
    assert len(codes) == settings.RECOVERY_CODE_COUNT
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == set(codes)
    assert "<code>" not in client.get("/accounts/recovery-codes/", follow=True).content.decode()  # shown once
    assert client.get("/").status_code == 200
    assert AccessLog.objects.filter(user=user, action=AccessAction.MFA_ENROLLED).exists()


@pytest.mark.django_db
def test_a_recovery_code_works_once(client) -> None:
    user = UserFactory()
    device = user.staticdevice_set.create(name="Recovery codes", confirmed=True)
    device.token_set.create(token="recover1")
    _password(client, user)
    assert client.post("/accounts/second-factor/", {"token": "recover1"}).status_code == 302
    client.logout()
    _password(client, user)
    again = client.post("/accounts/second-factor/", {"token": "recover1"})
    assert "The code is not correct" in again.content.decode()


@pytest.mark.django_db
def test_five_wrong_codes_end_the_sign_in(client) -> None:
    user = UserFactory()
    _password(client, user)
    for _ in range(4):
        client.post("/accounts/second-factor/", {"token": "000000"})
    response = client.post("/accounts/second-factor/", {"token": "000000"})
    assert response["Location"] == "/accounts/login/"
    assert client.get("/accounts/second-factor/").status_code == 302  # signed out


@pytest.mark.django_db
def test_admin_resets_a_second_factor_and_the_user_enrols_again(client, login) -> None:
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    user = UserFactory()
    login(admin).post("/admin/accounts/user/", {"action": "reset_second_factor", "_selected_action": [user.pk]})
    assert not TOTPDevice.objects.filter(user=user).exists()
    reset = AccessLog.objects.get(action=AccessAction.MFA_RESET)
    assert (reset.user, reset.object_id) == (admin, str(user.public_id))
    client.logout()
    _password(client, user)
    assert "Set up your authenticator app" in client.get("/accounts/second-factor/").content.decode()


@pytest.mark.django_db
def test_lockout_after_five_failed_passwords_even_with_the_right_one(client) -> None:
    user = UserFactory()
    for _ in range(5):
        _password(client, user, "wrong-password")
    locked = _password(client, user)
    assert locked.status_code == 429
    assert "Your account is locked for 30 minutes" in locked.content.decode()
    assert AccessLog.objects.filter(action=AccessAction.LOGIN_FAILED, username=user.username).count() >= 5
    assert AccessLog.objects.filter(action=AccessAction.LOCKED_OUT, username=user.username).exists()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_new_session_key_at_sign_in(client) -> None:
    user = UserFactory()
    client.get("/accounts/login/")
    client.session["probe"] = 1
    before = client.session.session_key
    _password(client, user)
    assert client.session.session_key != before


def test_idle_timeout_is_thirty_minutes_renewed_on_every_request() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


@pytest.mark.django_db
def test_the_absolute_limit_ends_a_session_after_twelve_hours(login) -> None:
    client = login(UserFactory())
    assert client.get("/").status_code == 200
    session = client.session
    session[LOGIN_AT_SESSION_KEY] = time.time() - 12 * 60 * 60 - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "Your session has ended. Sign in again." in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_deactivating_an_account_ends_its_sessions(login) -> None:
    user = UserFactory()
    client = login(user)
    assert client.get("/").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_security_headers_on_pages(login) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    response = login(officer).get(f"/cases/{case.public_id}/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.content.decode()


def test_production_cookies_and_hsts() -> None:
    from dacrre import settings as production

    assert production.SESSION_COOKIE_HTTPONLY is True
    assert production.SECURE_HSTS_SECONDS >= 31536000 or production.DEBUG
    assert production.SESSION_COOKIE_SECURE is (not production.DEBUG)
    assert production.CSRF_COOKIE_SECURE is (not production.DEBUG)


@pytest.mark.django_db
def test_sign_in_and_out_are_logged(client, login) -> None:
    user = UserFactory()
    _password(client, UserFactory(), "wrong")
    login(user).post("/accounts/logout/")
    actions = set(AccessLog.objects.filter(user=user).values_list("action", flat=True))
    assert {AccessAction.LOGIN, AccessAction.LOGOUT} <= actions
    assert AccessLog.objects.filter(action=AccessAction.LOGIN_FAILED).exists()


@pytest.mark.django_db
def test_the_demo_setting_skips_the_second_factor(client, settings) -> None:
    settings.DEMO_SKIP_MFA = True
    _password(client, UserFactory(authenticator=False))
    assert client.get("/").status_code == 200


def test_the_demo_setting_is_refused_when_debug_is_off() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    result = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "dacrre.settings", "SECRET_KEY": "x" * 60, "DACRRE_DEMO_SKIP_MFA": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "dacrre.E001" in result.stderr
