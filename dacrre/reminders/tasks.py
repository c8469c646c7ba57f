from celery import shared_task

from .services import reminders_raise_visits_due


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def sweep_visits_due() -> int:
    return reminders_raise_visits_due()
