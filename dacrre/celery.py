"""The Celery application: broker from settings, tasks discovered in every installed app."""

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab
from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class RedisChannel(kombu_redis.Channel):
    """kombu's Redis channel, refusing work on a closed connection with a connection error.

    When the broker connection drops, Celery collects the connection (which detaches the transport
    from it) before closing it. A late-acknowledged task that is still running then has its
    message put back on the queue as the channel closes, and acknowledged when it finishes, each
    through a new Redis client built from the detached transport: `AttributeError: 'NoneType'
    object has no attribute 'hostname'`, which is not one of the errors Celery expects there, and
    the worker ended ("Unrecoverable error"). As a connection error it is handled as one: the
    consumer reconnects, and a message whose acknowledgement is lost is delivered again after the
    visibility timeout (tasks are idempotent)."""

    def _connparams(self, asynchronous: bool = False) -> dict[str, Any]:
        if self.connection.client is None:
            raise RedisConnectionError("the broker connection was closed")
        return super()._connparams(asynchronous=asynchronous)


class RedisTransport(kombu_redis.Transport):
    Channel = RedisChannel


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dacrre.settings")

app = Celery("dacrre")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Sweeps are idempotent, so a schedule that fires twice (two beats, a restart) is harmless.
app.conf.beat_schedule = {
    "reminders-sweep": {
        "task": "dacrre.reminders.tasks.sweep_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "reminders-daily-digest": {
        "task": "dacrre.reminders.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=0),
    },
    "scoring-refresh-nightly": {
        "task": "scoring.tasks.refresh_all_scores",
        "schedule": crontab(hour=2, minute=30),
    },
    "incidents-resume-imports": {
        "task": "incidents.tasks.resume_incident_imports",
        "schedule": crontab(minute="*/5"),
    },
    "referrals-expire-completed-access": {
        "task": "referrals.tasks.expire_completed_referral_access",
        "schedule": crontab(minute=5),
    },
    # Records management (docs/operations.md): the access log's months ahead, its months past the
    # retention archived and dropped (PostgreSQL), and uploaded incident files removed.
    "audit-access-log-partitions": {
        "task": "dacrre.audit.tasks.ensure_access_log_partitions",
        "schedule": crontab(hour=1, minute=10),
    },
    "audit-access-log-archive": {
        "task": "dacrre.audit.tasks.archive_access_log_partitions",
        "schedule": crontab(hour=1, minute=40),
    },
    # Sessions past their idle or absolute timeout: their rows deleted (Django's clearsessions).
    "accounts-remove-expired-sessions": {
        "task": "dacrre.accounts.tasks.remove_expired_sessions",
        "schedule": crontab(hour=3, minute=50),
    },
    "incidents-purge-import-content": {
        "task": "incidents.tasks.purge_import_content",
        "schedule": crontab(hour=3, minute=20),
    },
    # Closed cases due for a retention review: their reviewers told (docs/records.md); files let go of
    # by a disposal removed from the document store (done at once after each disposal, again here).
    "records-retention-notices": {
        "task": "records.tasks.send_retention_notices",
        "schedule": crontab(hour=7, minute=30),
    },
    "documents-remove-files": {
        "task": "documents.tasks.remove_stored_files",
        "schedule": crontab(minute=35),
    },
}
