"""Visits to perpetrators and victims, planned and logged by officers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class VisitOutcome(models.TextChoices):
    SEEN = "seen", "Seen"
    NO_REPLY = "no_reply", "No reply"
    REFUSED = "refused", "Refused to engage"
    ARRESTED = "arrested", "Arrested"
    SAFEGUARDING = "safeguarding", "Safeguarding concern raised"


class Visit(PublicIdModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="visits")
    # Null: the visit is to the perpetrator.
    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="visits", null=True, blank=True)
    status = models.CharField(max_length=16, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    planned_for = models.DateTimeField(null=True, blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=VisitOutcome.choices, blank=True)
    safeguarding_details = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    officers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="visits_attended", blank=True)
    other_people_present = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    next_visit_due = models.DateField(null=True, blank=True)
    next_due_override_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at", "-planned_for"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=VisitStatus.COMPLETED) | (Q(occurred_at__isnull=False) & ~Q(outcome="")),
                name="completed_visit_has_time_and_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"Visit to {self.subject_label} ({self.get_status_display().lower()})"

    def access_subject(self) -> AccessSubject:
        return AccessSubject.on_case("visit", self, self.case, self.victim.person if self.victim is not None else None)

    @property
    def subject_label(self) -> str:
        return str(self.victim) if self.victim_id else f"{self.case.perpetrator} (perpetrator)"
