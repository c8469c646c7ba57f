"""With Redis down the service degrades, it does not fail: the API answers (its rate limit counts in
memory, with a warning), pages answer, sessions are read from the database, and the readiness check
says which dependency is down."""

import pytest
from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.db import OperationalError, connection
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dacrre.celery import app
from tests.factories import CaseFactory, UserFactory
from tests.platform.redis_server import PrivateRedis, needs_redis_server


@pytest.fixture
def private_redis(tmp_path, settings, monkeypatch):
    """The cache and the broker on a private redis-server, as in production; killed by the test."""
    redis = PrivateRedis(tmp_path).start()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    monkeypatch.setattr(app.conf, "broker_url", redis.url)
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    yield redis
    redis.kill()


@needs_redis_server
@pytest.mark.django_db
def test_with_redis_down_the_api_answers_and_still_limits_in_memory(private_redis, settings, caplog) -> None:
    settings.API_RATE_LIMIT = "4/minute"
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=officer).key}")
    assert client.get("/api/v1/cases/").status_code == 200  # counted in Redis

    private_redis.kill()
    answers = [client.get("/api/v1/cases/") for _ in range(5)]
    assert [a.status_code for a in answers[:4]] == [200, 200, 200, 200]
    assert answers[0].json()["results"][0]["reference"] == case.reference
    assert answers[4].status_code == 429  # the limit still holds, counted in this process
    assert answers[4]["Content-Type"] == "application/json"
    assert "the cache is unreachable" in caplog.text


@needs_redis_server
@pytest.mark.django_db
def test_with_redis_down_pages_and_sign_in_answer(private_redis, client) -> None:
    from tests.factories import TEST_PASSWORD, current_totp

    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    private_redis.kill()
    assert client.post("/accounts/login/", {"username": officer.username, "password": TEST_PASSWORD}).status_code == 302
    assert client.post("/accounts/second-factor/", {"token": current_totp(officer)}).status_code == 302
    for path in ["/", "/cases/", f"/cases/{case.public_id}/", "/tasks/", "/referrals/"]:
        assert client.get(path).status_code == 200, path


@needs_redis_server
@pytest.mark.django_db
def test_sessions_outlive_redis_going_down_and_coming_back_empty(private_redis, client, login, caplog) -> None:
    """Sessions are read through the cache, kept in PostgreSQL: a Redis that dies or restarts (it keeps
    nothing on disk) signs nobody out, and a sign-out while it is down holds."""
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    login(officer)
    assert client.get("/cases/").status_code == 200  # the session read from Redis

    private_redis.kill()
    for path in ["/", "/cases/", f"/cases/{case.public_id}/"]:
        assert client.get(path).status_code == 200, path
    assert "Sessions: the cache is unreachable" in caplog.text

    private_redis.start()  # empty
    assert client.get(f"/cases/{case.public_id}/").status_code == 200  # the database's copy

    private_redis.kill()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")


@needs_redis_server
@pytest.mark.django_db
def test_a_copy_left_in_redis_after_a_sign_out_opens_nothing(private_redis, client, login, monkeypatch) -> None:
    """Signed out while Redis could not be reached, then Redis reachable again with the session's old
    copy: the database says the session has ended."""
    from django.core.cache import cache

    from dacrre.accounts import sessions

    monkeypatch.setattr(sessions, "_CACHE_REST_SECONDS", 0)  # no pause after a failure: read Redis again at once
    officer = UserFactory()
    login(officer)
    assert client.get("/cases/").status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    copy = cache.get(cached_db.KEY_PREFIX + cookie)
    assert copy is not None

    private_redis.kill()
    assert client.post("/accounts/logout/").status_code == 302  # the row is deleted, the copy cannot be
    private_redis.start()
    cache.set(cached_db.KEY_PREFIX + cookie, copy)  # as a Redis that was only unreachable would still hold it
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert client.get("/cases/")["Location"].startswith("/accounts/login/")
    assert cache.get(cached_db.KEY_PREFIX + cookie) is None


@needs_redis_server
@pytest.mark.django_db
def test_readiness_reports_each_dependency(private_redis, client) -> None:
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"
    assert {name: check["status"] for name, check in ready.json()["checks"].items()} == {
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
    }

    private_redis.kill()
    degraded = client.get("/readyz")
    # The service still answers without Redis: stay in the load balancer's pool, say what is down.
    assert degraded.status_code == 200
    body = degraded.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "down"
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["broker"]["ms"] < 5000
    assert client.get("/healthz").json() == {"status": "ok"}  # liveness: the process is up


@pytest.mark.django_db
def test_readiness_is_503_without_the_database(client) -> None:
    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        ready = client.get("/readyz")
        live = client.get("/healthz")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert ready.json()["checks"]["database"] == {
        "status": "down",
        "error": "OperationalError",
        "ms": ready.json()["checks"]["database"]["ms"],
    }
    assert live.status_code == 200
