"""Scheduled reminder work. Thin: the logic is in sweeps and notifications. Every task is safe to
run twice or at the same time as itself; they acknowledge late (a task lost with its worker is
delivered again) and retry with back-off when the database or mail server is briefly away.

Their names are those of the module's first home, `dacrre.reminders.tasks`: the beat schedule, the
queue routes and messages already queued name them so."""

from celery import shared_task

from .notifications import notify_high_risk, send_digests
from .sweeps import reminders_sweep


@shared_task(
    name="dacrre.reminders.tasks.sweep_reminders",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def sweep_reminders() -> dict[str, int]:
    inserted = reminders_sweep()
    inserted["high_risk_emails"] = notify_high_risk()
    return inserted


@shared_task(
    name="dacrre.reminders.tasks.send_high_risk_notifications",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def send_high_risk_notifications() -> int:
    """Sent as a nudge right after a high-risk item is saved; if the broker is down the nudge is
    lost, and the next sweep (every 15 minutes) sends the e-mail from the database row instead."""
    return notify_high_risk()


@shared_task(
    name="dacrre.reminders.tasks.send_daily_digests",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
)
def send_daily_digests() -> int:
    return send_digests()
