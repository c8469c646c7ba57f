"""Safety plans (one per victim of a case), their measures, and every saved version."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_PLACE = "in_place", "In place"
    DECLINED = "declined", "Declined"
    NOT_NEEDED = "not_needed", "Not needed"


class SafetyPlan(PublicIdModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="safety_plans")
    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="safety_plans")
    # Optimistic locking: a save must name the version it started from.
    version = models.PositiveIntegerField(default=0)
    review_due = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "victim"], name="one_safety_plan_per_victim")]

    def __str__(self) -> str:
        return f"Safety plan for {self.victim}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject.on_case("safety plan", self, self.case, self.victim.person)


class SafetyMeasure(models.Model):
    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="measures")
    key = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=MeasureStatus.choices)
    owner = models.CharField(max_length=200, blank=True)
    due_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="one_row_per_measure")]

    def __str__(self) -> str:
        return f"{self.key}: {self.status}"


class SafetyPlanVersion(models.Model):
    """An immutable snapshot of the plan as saved. Safe-contact arrangements are victim-confidential
    and are not copied here; only the fact that they changed."""

    plan = models.ForeignKey(SafetyPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)
    measures = models.JSONField()
    safe_contact_changed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="one_row_per_plan_version")]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.plan}"


class SchoolNotification(models.Model):
    """After an incident with a child present, the school's safeguarding lead is told (Operation
    Encompass style). Raised automatically; an officer or IDVA records when it was done."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="school_notifications")
    child = models.ForeignKey("victims.Child", on_delete=models.PROTECT, related_name="school_notifications")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="+")
    required_since = models.DateTimeField(default=timezone.now)
    notified_on = models.DateField(null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["notified_on", "-required_since"]
        constraints = [
            models.UniqueConstraint(fields=["case", "child", "incident"], name="one_school_notification_per_incident")
        ]

    def __str__(self) -> str:
        return f"School notification for {self.child} after {self.incident}"
