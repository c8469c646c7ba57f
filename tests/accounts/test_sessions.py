"""Sessions are kept in the database and read through the cache; the user, their agency and their
second factor are one query; the idle timeout is renewed at most once a minute. What a person sees
is unchanged: an idle session is signed out, activity keeps it, a sign-out, a reset second factor or
a changed password end what they should, and a deploy signs nobody out."""

import datetime
import time

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from dacrre.accounts.middleware import LOGIN_AT_SESSION_KEY
from dacrre.accounts.services import user_second_factor_reset
from dacrre.accounts.sessions import RENEWED_AT_SESSION_KEY
from dacrre.accounts.tasks import remove_expired_sessions
from dacrre.celery import app
from tests.factories import TEST_PASSWORD, CaseFactory, UserFactory


def _session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]


def _session_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('SELECT "django_session"')]


def _caseload(client):
    page = client.get("/cases/")
    assert page.status_code == 200
    assert "My caseload" in page.content.decode()
    return page


def test_the_idle_timeout_is_thirty_minutes_renewed_at_most_once_a_minute() -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_RENEW_SECONDS == 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60


@pytest.mark.django_db
def test_a_request_renews_the_idle_timeout_once_its_last_renewal_is_a_minute_old(client, login) -> None:
    officer = UserFactory()
    CaseFactory(area=officer.area, spoc=officer)
    login(officer)
    with CaptureQueriesContext(connection) as within_the_minute:
        _caseload(client)
    assert _session_writes(within_the_minute.captured_queries) == []
    assert _session_reads(within_the_minute.captured_queries) == []  # read from the cache

    # 29 minutes later: the row expires in a minute, its last renewal was 29 minutes ago.
    session = client.session
    session[RENEWED_AT_SESSION_KEY] = time.time() - 29 * 60
    session.save()
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(seconds=60))
    with CaptureQueriesContext(connection) as later:
        _caseload(client)
    assert len(_session_writes(later.captured_queries)) == 1
    renewed_for = Session.objects.get().expire_date - timezone.now()
    assert renewed_for > datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)


@pytest.mark.django_db
def test_an_expired_or_deleted_row_signs_the_session_out_though_the_cache_keeps_a_copy(client, login) -> None:
    officer = UserFactory()
    login(officer)
    _caseload(client)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")

    login(officer)
    _caseload(client)
    Session.objects.all().delete()  # e.g. signed out while the cache could not be reached
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_reset_second_factor_ends_the_verified_session_at_its_next_request(client, login) -> None:
    officer = UserFactory()
    login(officer)
    _caseload(client)
    user_second_factor_reset(actor=UserFactory(), user=officer)
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert client.get("/cases/")["Location"].startswith("/accounts/second-factor/")
    assert DEVICE_ID_SESSION_KEY not in client.session


@pytest.mark.django_db
def test_a_changed_password_or_a_deactivated_agency_ends_the_session(client, login) -> None:
    officer = UserFactory()
    login(officer)
    _caseload(client)
    officer.set_password("another long password 42")
    officer.save()
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")

    officer.set_password(TEST_PASSWORD)
    officer.save()
    login(officer)
    _caseload(client)
    officer.agency.is_active = False
    officer.agency.save()
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_session_written_before_the_cache_still_opens_pages(client, login) -> None:
    """Deploying this signs nobody out: a session the database store wrote (no copy in the cache) is
    read from its row."""
    officer = UserFactory()
    login(officer)
    device_id = client.session[DEVICE_ID_SESSION_KEY]
    client.logout()
    old = DatabaseSessionStore()
    old[SESSION_KEY] = str(officer.pk)
    old[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    old[HASH_SESSION_KEY] = officer.get_session_auth_hash()
    old[DEVICE_ID_SESSION_KEY] = device_id
    old[LOGIN_AT_SESSION_KEY] = time.time()
    old.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    with CaptureQueriesContext(connection) as first:
        _caseload(client)
    assert len(_session_reads(first.captured_queries)) == 1  # its row, once
    with CaptureQueriesContext(connection) as second:
        _caseload(client)
    assert _session_reads(second.captured_queries) == []  # then the cache's copy


@pytest.mark.django_db
def test_the_quick_starts_file_cache_holds_the_sessions_copies(client, login, settings, tmp_path) -> None:
    """Without Redis the quick start's processes share a file cache: sessions are read from it too."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
    }
    officer = UserFactory()
    login(officer)
    with CaptureQueriesContext(connection) as warm:
        _caseload(client)
    assert _session_reads(warm.captured_queries) == []
    assert list(tmp_path.glob("*.djcache"))
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))  # the idle timeout
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_a_page_costs_three_queries_besides_its_data_and_one_write(client, login) -> None:
    """Who is asking (user, agency, second factor, the session's row) is one query; the session is
    read from the cache and not written; the access log is the one write; the navigation one query."""
    officer = UserFactory()
    CaseFactory(area=officer.area, spoc=officer)
    login(officer)
    _caseload(client)
    with CaptureQueriesContext(connection) as queries:
        _caseload(client)
    sqls = [q["sql"] for q in queries.captured_queries]
    who = [sql for sql in sqls if 'FROM "accounts_user"' in sql and '"accounts_agency"' in sql]
    assert len(who) == 1
    assert '"otp_totp_totpdevice"' in who[0] and '"django_session"' in who[0]
    assert not [sql for sql in sqls if sql.startswith(('SELECT "accounts_agency"', 'SELECT "otp_'))]
    assert _session_reads(queries.captured_queries) == [] == _session_writes(queries.captured_queries)
    writes = [sql for sql in sqls if sql.lstrip().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 1 and '"audit_accesslog"' in writes[0]


@pytest.mark.django_db
def test_the_nightly_job_removes_the_rows_of_sessions_that_timed_out(client, login) -> None:
    login(UserFactory())
    _caseload(client)
    timed_out = DatabaseSessionStore()
    timed_out["left"] = "open"
    timed_out.create()
    Session.objects.filter(session_key=timed_out.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert Session.objects.count() == 2
    assert remove_expired_sessions.apply().get() == 1
    assert not Session.objects.filter(session_key=timed_out.session_key).exists()
    assert _caseload(client).status_code == 200  # the live session is untouched
    assert app.conf.beat_schedule["accounts-remove-expired-sessions"]["task"] == remove_expired_sessions.name
