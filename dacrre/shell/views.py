"""Health of the web process and of what it depends on, for load balancers and docker-compose.

- `/healthz` (liveness): the process answers requests. It touches no dependency, so that a
  database or Redis outage never makes an orchestrator restart healthy web processes.
- `/readyz` (readiness): each dependency checked with a short timeout, and an overall status.
  The database is required (503 without it: take this process out of the pool); the cache and the
  broker are not (the service degrades: rate limits count in memory, background work waits for the
  next sweep), so without them the answer is 200 with `"status": "degraded"`."""

import logging
import time
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from dacrre.celery import app as celery_app
from dacrre.core.error_pages import back_url_from_referer
from dacrre.core.glossary import TERMS

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    key = "dacrre:readyz"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not keep a value")


def _broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=CHECK_TIMEOUT_SECONDS)


# name, check, required for the service to answer at all
CHECKS: list[tuple[str, Callable[[], None], bool]] = [
    ("database", _database, True),
    ("cache", _cache, False),
    ("broker", _broker, False),
]


def _run(check: Callable[[], None]) -> dict[str, object]:
    started = time.monotonic()
    try:
        check()
    except Exception as exc:  # noqa: BLE001 - any failure is the answer: reported, never raised
        return {"status": "down", "error": type(exc).__name__, "ms": round((time.monotonic() - started) * 1000)}
    return {"status": "ok", "ms": round((time.monotonic() - started) * 1000)}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the web process is up and serving."""
    return JsonResponse({"status": "ok"})


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: each dependency, and an overall status a load balancer can act on."""
    results = {name: _run(check) for name, check, _required in CHECKS}
    required_down = any(required and results[name]["status"] != "ok" for name, _check, required in CHECKS)
    optional_down = any(result["status"] != "ok" for result in results.values())
    overall = "unavailable" if required_down else "degraded" if optional_down else "ok"
    if overall != "ok":
        logger.warning("readiness: %s (%s)", overall, {name: result["status"] for name, result in results.items()})
    return JsonResponse({"status": overall, "checks": results}, status=503 if required_down else 200)


@login_required
def glossary(request: HttpRequest) -> HttpResponse:
    """The words users meet in the app (the footer links here from every page)."""
    return render(
        request,
        "glossary.html",
        {"terms": sorted(TERMS, key=lambda term: term.term.lower()), "back_url": back_url_from_referer(request)},
    )
