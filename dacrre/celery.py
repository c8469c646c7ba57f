"""The Celery application: broker from settings, tasks discovered in every installed app."""

import os

from celery import Celery
from celery.schedules import crontab

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
}
