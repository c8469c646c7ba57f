"""Raising reminders. Each sweep reads its candidates in one query and inserts them in one batch,
skipping any that exist already, so it can run any number of times and catch up after an outage."""

import datetime
from typing import cast

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.models import Case, CaseStatus, CaseVictim

from .models import Reminder, ReminderKind

VISIT_REMINDER_LEAD_DAYS = 3


@transaction.atomic
def reminders_raise_visits_due(*, today: datetime.date | None = None) -> int:
    """Raise a reminder for every perpetrator and victim visit due within the lead time. Returns rows inserted."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=VISIT_REMINDER_LEAD_DAYS)
    before = Reminder.objects.count()
    perpetrator_rows = (
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .filter(next_perpetrator_visit_due__lte=horizon)
        .values_list("pk", "next_perpetrator_visit_due", "offender_manager_id", "spoc_id")
    )
    victim_rows = (
        CaseVictim.objects.exclude(case__status=CaseStatus.CLOSED)
        .filter(next_visit_due__lte=horizon)
        .values_list("case_id", "victim__public_id", "next_visit_due", F("case__spoc_id"))
    )
    reminders = [
        Reminder(
            kind=ReminderKind.PERPETRATOR_VISIT_DUE,
            case_id=case_id,
            subject_key="perpetrator",
            due_on=cast(datetime.date, due_on),  # the filter above excludes NULL
            assignee_id=offender_manager_id or spoc_id,
        )
        for case_id, due_on, offender_manager_id, spoc_id in perpetrator_rows
    ] + [
        Reminder(
            kind=ReminderKind.VICTIM_VISIT_DUE,
            case_id=case_id,
            subject_key=f"victim:{victim_public_id}",
            due_on=due_on,
            assignee_id=spoc_id,
        )
        for case_id, victim_public_id, due_on, spoc_id in victim_rows
    ]
    Reminder.objects.bulk_create(reminders, ignore_conflicts=True, batch_size=1000)
    return Reminder.objects.count() - before
