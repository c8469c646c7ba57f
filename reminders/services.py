"""Closing and dismissing reminders. Raising them is `sweeps.reminders_sweep`."""

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from dacrre.accounts.models import User
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError

from .models import Reminder, ReminderKind, ReminderStatus


def reminders_close(
    *,
    case: Case,
    kinds: list[ReminderKind],
    subject_key: str | None = None,
    still_due_on: datetime.date | None = None,
    due_by: datetime.date | None = None,
) -> int:
    """The work is done: close the matching open reminders (called by the service that did it).
    A reminder for `still_due_on`, the date the work now falls due next, stays open: that date is
    still owed (a visit whose next one was set by hand to the date already reminded of)."""
    reminders = Reminder.objects.filter(case=case, kind__in=kinds, status=ReminderStatus.OPEN)
    if still_due_on is not None:
        reminders = reminders.exclude(due_on=still_due_on)
    if subject_key is not None:
        reminders = reminders.filter(subject_key=subject_key)
    if due_by is not None:  # work done on a day counts for what falls due up to `due_by`
        reminders = reminders.filter(due_on__lte=due_by)
    return reminders.update(status=ReminderStatus.DONE, closed_at=timezone.now())


@transaction.atomic
def reminder_dismiss(*, actor: User, reminder: Reminder, reason: str) -> Reminder:
    reminder = Reminder.objects.select_for_update().get(pk=reminder.pk)
    if reminder.status != ReminderStatus.OPEN:
        raise InvalidTransitionError("This task is already closed.")
    if len(reason.strip()) < 10:
        raise ApplicationError("Say why this task is not needed (at least 10 characters).", field="reason")
    reminder.status, reminder.closed_at = ReminderStatus.DISMISSED, timezone.now()
    reminder.dismissed_reason = f"{reason.strip()} ({actor.get_full_name() or actor.username})"
    reminder.save(update_fields=["status", "closed_at", "dismissed_reason"])
    return reminder


# Work done this many days before protection ends counts for the protection gap (orders.sweeps).
PROTECTION_GAP_DONE_WITHIN_DAYS = 7


def protection_gap_close(*, case: Case, kind: ReminderKind, done_on: datetime.date) -> int:
    """A DASH or a visit done on `done_on` answers the protection-gap reminder of that kind for
    every order ending up to a week later."""
    return reminders_close(
        case=case, kinds=[kind], due_by=done_on + datetime.timedelta(days=PROTECTION_GAP_DONE_WITHIN_DAYS)
    )
