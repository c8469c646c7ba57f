"""Scheduled work on the access log's partitions (PostgreSQL). Thin: the work is in partitions.py.
Both are idempotent and safe to run twice or at once (one run at a time holds an advisory lock); a
database that is briefly away, or a lock not granted in time, is retried with back-off (Django raises
its own DatabaseError for both, not the driver's)."""

from celery import shared_task
from django.db import DatabaseError

from .partitions import access_log_partitions_archive, access_log_partitions_ensure


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def ensure_access_log_partitions() -> list[str]:
    return access_log_partitions_ensure()


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def archive_access_log_partitions() -> list[str]:
    return [archived.partition for archived in access_log_partitions_archive()]
