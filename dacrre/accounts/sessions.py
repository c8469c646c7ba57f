"""Sessions kept in PostgreSQL and read through the cache (SESSION_ENGINE), and the idle timeout
renewed without a write on every request.

The database holds every session and decides whether one is live: the cache (Redis, or the quick
start's file cache) holds a copy of each session's data so that a request reads no session row.
`SessionUserMiddleware` checks in its one query that a signed-in session's row is still there and
unexpired, so a copy the cache still holds (a sign-out or an expiry while Redis could not be reached)
opens nothing. When the cache fails, sessions are read from and written to the database alone (a
warning is logged); a restarted, empty Redis signs nobody out.

The idle timeout (SESSION_COOKIE_AGE) is renewed at most once every SESSION_RENEW_SECONDS instead of on
every request: a session ends between SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS and SESSION_COOKIE_AGE
after its last request, and the timeout warning counts from the last renewal, so it is never late."""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

# When the idle timeout was last renewed (a Unix time): the session's row then expires
# SESSION_COOKIE_AGE later.
RENEWED_AT_SESSION_KEY = "dacrre_renewed_at"
# After a cache failure, this process reads sessions from the database alone for this long, so an
# unreachable Redis costs one connection timeout every so often, not two on every request. Saves and
# deletes still try the cache, so that it keeps no copy older than the database's.
_CACHE_REST_SECONDS = 10.0


class _CacheOrNothing:
    """The session cache's operations, each carrying on without the cache when it fails."""

    def __init__(self, cache: Any) -> None:
        self._cache = cache

    def _failed(self, operation: str, exc: Exception) -> None:
        # Kept on the cache's connection object (one per thread, kept across requests).
        self._cache.dacrre_sessions_failed_at = time.monotonic()
        logger.warning("Sessions: the cache is unreachable (%s: %s); using the database alone", operation, exc)

    def _resting(self) -> bool:
        failed_at = getattr(self._cache, "dacrre_sessions_failed_at", None)
        return failed_at is not None and time.monotonic() - failed_at < _CACHE_REST_SECONDS

    def get(self, key: str, default: Any = None) -> Any:
        if self._resting():
            return default
        try:
            return self._cache.get(key, default)
        except Exception as exc:
            self._failed("read", exc)
            return default

    def set(self, key: str, value: Any, timeout: Any = None, *, fill: bool = False) -> None:
        if fill and self._resting():
            return
        try:
            self._cache.set(key, value, timeout)
        except Exception as exc:
            self._failed("write", exc)

    def delete(self, key: str) -> None:
        try:
            self._cache.delete(key)
        except Exception as exc:
            self._failed("delete", exc)

    def __contains__(self, key: str) -> bool:
        if self._resting():
            return False
        try:
            return key in self._cache
        except Exception as exc:
            self._failed("read", exc)
            return False


class SessionStore(cached_db.SessionStore):
    """Django's cached_db store, which already survives a cache that fails on its first read and on
    a save; this one also survives the rest: filling the cache after a read from the database, the
    check that a new key is unused, and the delete at sign-out (each would raise)."""

    def __init__(self, session_key: str | None = None) -> None:
        super().__init__(session_key)
        self._cache: Any = _CacheOrNothing(caches[settings.SESSION_CACHE_ALIAS])

    def load(self) -> dict[str, Any]:
        data = self._cache.get(self.cache_key)
        if data is not None:
            return data
        row = self._get_session_from_db()  # type: ignore[attr-defined]
        if row is None:
            return {}
        data = self.decode(row.session_data)
        self._cache.set(self.cache_key, data, self.get_expiry_age(expiry=row.expire_date), fill=True)
        return data


def session_renew(session: SessionBase) -> None:
    """Push the idle timeout back to SESSION_COOKIE_AGE from now (the session is saved at the end of
    the request)."""
    session[RENEWED_AT_SESSION_KEY] = time.time()


def session_renewed_at(session: SessionBase) -> float:
    return session.get(RENEWED_AT_SESSION_KEY) or time.time()


class SessionRenewalMiddleware:
    """Instead of SESSION_SAVE_EVERY_REQUEST: a signed-in session is saved (its expiry renewed) when
    its last renewal is SESSION_RENEW_SECONDS old or more, and whenever it changed anyway. Runs after
    SessionUserMiddleware, which signs out a session whose row has gone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if request.user.is_authenticated and time.time() - session.get(RENEWED_AT_SESSION_KEY, 0) >= (
            settings.SESSION_RENEW_SECONDS
        ):
            session_renew(session)
        response = self.get_response(request)
        if session.modified and not session.is_empty():
            session_renew(session)  # saved anyway: the expiry moves, so does the timing of the warning
        return response


def sessions_remove_expired() -> int:
    """Delete the rows of sessions past their expiry (Django's clearsessions): a session is renewed at
    most once a minute but never deleted when it simply times out, so without this the table grows by
    every session ever started. Their copies in the cache expire on their own. Returns the rows removed."""
    removed, _ = SessionStore.get_model_class().objects.filter(expire_date__lt=timezone.now()).delete()
    return removed
