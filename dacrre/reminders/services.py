"""Closing and dismissing reminders. Raising them is `sweeps.reminders_sweep`."""

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from dacrre.accounts.models import User
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError

from .models import Reminder, ReminderKind, ReminderStatus


def reminders_close(*, case: Case, kinds: list[ReminderKind], subject_key: str | None = None) -> int:
    """The work is done: close the matching open reminders (called by the service that did it)."""
    reminders = Reminder.objects.filter(case=case, kind__in=kinds, status=ReminderStatus.OPEN)
    if subject_key is not None:
        reminders = reminders.filter(subject_key=subject_key)
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
