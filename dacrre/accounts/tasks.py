"""Scheduled housekeeping of sign-in state. Thin; idempotent; a database that is briefly away is
retried with back-off."""

from celery import shared_task
from django.db import DatabaseError

from .sessions import sessions_remove_expired


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=True, max_retries=5)
def remove_expired_sessions() -> int:
    return sessions_remove_expired()
