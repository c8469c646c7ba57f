"""Reports and downloads read from a PostgreSQL replica; everything else uses the primary.

With `DATABASE_REPLICA_URL` set there is a second database alias, `replica` (a streaming replica of
the primary). Reads go to it only inside `replica_reads()`: the performance report runs its queries
in one, and `ReplicaForDownloadsMiddleware` puts every CSV or Excel download (`?format=csv|xlsx`) in
one. Everywhere else, and for every write, it is the primary: a page always shows what its user has
just saved (read-your-writes), whatever the replica's lag.

Even inside `replica_reads()` the primary answers:
- who is asking: sessions, users, agencies and areas, groups and permissions, second factors,
  lockouts and API tokens (a session created a moment ago, or a role just withdrawn, must count at
  once);
- any read inside a transaction on the primary (a check before a write, `select_for_update`);
- everything, when the replica cannot be reached as the block begins (logged): an unreachable
  replica never stops a download.

Which cases a user may see is decided in the same query as the cases themselves, so inside the block
it is the replica's view of the grants, a replication lag (normally under a second) behind.

Migrations never run on the replica: it receives the schema by replication."""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from .csv_export import FORMATS

logger = logging.getLogger(__name__)

REPLICA = "replica"
# Who is asking and may they: always read from the primary.
PRIMARY_ONLY_APPS = frozenset(
    {"sessions", "auth", "accounts", "contenttypes", "otp_totp", "otp_static", "django_otp", "axes", "authtoken"}
)
_replica_reads: ContextVar[bool] = ContextVar("replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def _replica_answers() -> bool:
    try:
        with connections[REPLICA].cursor():  # connects, or checks a kept connection (CONN_HEALTH_CHECKS)
            pass
    except DatabaseError as exc:
        logger.warning("The database replica cannot be reached (%s); reading from the primary", type(exc).__name__)
        return False
    return True


@contextmanager
def replica_reads() -> Iterator[None]:
    """Reads of the service's records inside this block go to the replica, when there is one and it
    answers. Writes inside it still go to the primary."""
    if not replica_configured() or not _replica_answers():
        yield
        return
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        if (
            _replica_reads.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The same rows on both: an object read from the replica may be linked to one from the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        if db == REPLICA:
            return False
        return None


class ReplicaForDownloadsMiddleware:
    """A CSV or Excel download (`?format=csv` or `?format=xlsx` on a GET) reads from the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.formats = FORMATS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in {"GET", "HEAD"} and request.GET.get("format") in self.formats:
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
