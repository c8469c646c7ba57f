import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
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
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
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
    assert "Sign-in is locked for 30 minutes" in locked.content.decode()
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


@pytest.mark.django_db
def test_a_new_session_key_when_the_second_factor_is_accepted(client) -> None:
    user = UserFactory()
    _password(client, user)
    before = client.session.session_key
    assert client.post("/accounts/second-factor/", {"token": current_totp(user)}).status_code == 302
    after = client.session.session_key
    assert after != before
    assert client.get("/").status_code == 200
    # The key from before the second factor opens nothing.
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_new_session_key_when_the_second_factor_is_enrolled(client) -> None:
    user = UserFactory(authenticator=False)
    _password(client, user)
    client.get("/accounts/second-factor/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    before = client.session.session_key
    assert client.post("/accounts/second-factor/", {"token": _code_for(device)}).status_code == 302
    assert client.session.session_key != before


@pytest.mark.django_db
def test_one_address_trying_a_password_across_many_usernames_is_locked_out(client, settings) -> None:
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    victims = [UserFactory() for _ in range(settings.AXES_ADDRESS_FAILURE_LIMIT)]
    answers = [_password(client, victim, "Summer2026!!").status_code for victim in victims]
    # One wrong password each, far below the per-username limit: the address's last one locks it.
    assert answers == [200] * (len(victims) - 1) + [429]
    untouched = UserFactory()
    locked = _password(client, untouched)  # the right password, from the same address
    assert locked.status_code == 429
    assert "Sign-in is locked for 30 minutes" in locked.content.decode()
    assert AccessLog.objects.filter(action=AccessAction.LOCKED_OUT).exists()
    # Another address is not affected.
    elsewhere = client.post(
        "/accounts/login/",
        {"username": untouched.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_signing_in_with_one_account_does_not_clear_the_address_count(client, settings) -> None:
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    own = UserFactory()
    for victim in [UserFactory() for _ in range(3)]:
        _password(client, victim, "Summer2026!!")
    assert _password(client, own).status_code == 302  # the attacker's own account
    client.logout()
    for victim in [UserFactory() for _ in range(3)]:
        _password(client, victim, "Summer2026!!")
    assert _password(client, UserFactory()).status_code == 429


@pytest.mark.django_db
def test_fewer_failures_than_the_address_limit_lock_nobody_else(client) -> None:
    for victim in [UserFactory() for _ in range(4)]:
        _password(client, victim, "wrong-password")
    assert _password(client, UserFactory()).status_code == 302


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_lockout_counts_the_forwarded_address(client, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_ADDRESS_FAILURE_LIMIT = 4
    for victim in [UserFactory() for _ in range(4)]:
        client.post(
            "/accounts/login/",
            {"username": victim.username, "password": "wrong-password"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    colleague = UserFactory()
    # Another user behind the same proxy, from another address, still gets in; the forger does not.
    ok = client.post(
        "/accounts/login/",
        {"username": colleague.username, "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert ok.status_code == 302
    client.logout()
    forged = client.post(
        "/accounts/login/",
        {"username": colleague.username, "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.9",
    )
    assert forged.status_code == 429
    assert AccessLog.objects.filter(ip_address="203.0.113.10", action=AccessAction.LOGIN).exists()


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
    assert "Your session has ended because 12 hours have passed" in client.get(response["Location"]).content.decode()


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
def test_the_demo_setting_skips_the_second_factor_with_debug_on(client, settings) -> None:
    settings.DEBUG = True
    settings.DEMO_SKIP_MFA = True
    _password(client, UserFactory(authenticator=False))
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_demo_setting_is_ignored_when_debug_is_off(client, settings) -> None:
    settings.DEBUG = False
    settings.DEMO_SKIP_MFA = True
    _password(client, UserFactory(authenticator=False))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/second-factor/")


def _start_with_demo_skip(*command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, *command],
        cwd=PROJECT_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "dacrre.settings", "SECRET_KEY": "x" * 60, "DACRRE_DEMO_SKIP_MFA": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "command",
    [
        # gunicorn loads dacrre.wsgi; the worker and beat load dacrre.celery, which reads the settings.
        ("-c", "import dacrre.wsgi"),
        ("-c", "import django; django.setup()"),
        ("manage.py", "check"),
    ],
    ids=["wsgi", "setup", "manage"],
)
def test_the_demo_setting_is_refused_at_start_when_debug_is_off(command) -> None:
    result = _start_with_demo_skip(*command)
    assert result.returncode != 0
    assert "DACRRE_DEMO_SKIP_MFA is set while DEBUG is off" in result.stderr
