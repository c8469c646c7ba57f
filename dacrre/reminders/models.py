"""Reminders are database rows: the source of truth for what is due, raised by idempotent sweeps."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from dacrre.core.models import PublicIdModel


class ReminderKind(models.TextChoices):
    PERPETRATOR_VISIT_DUE = "perpetrator_visit_due", "Visit to perpetrator due"
    VICTIM_VISIT_DUE = "victim_visit_due", "Visit to victim due"


class ReminderStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DISMISSED = "dismissed", "Dismissed"


class Reminder(PublicIdModel):
    kind = models.CharField(max_length=40, choices=ReminderKind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reminders")
    # What the reminder is about inside the case, e.g. "perpetrator" or "victim:<public id>".
    subject_key = models.CharField(max_length=80)
    due_on = models.DateField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders", null=True, blank=True
    )
    status = models.CharField(max_length=16, choices=ReminderStatus.choices, default=ReminderStatus.OPEN)
    dismissed_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            # Sweeps can run twice or concurrently: the database refuses the duplicate.
            models.UniqueConstraint(
                fields=["kind", "case", "subject_key", "due_on"], name="unique_reminder_per_due_date"
            ),
        ]
        indexes = [models.Index(fields=["assignee", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.due_on}"
