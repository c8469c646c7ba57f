"""MARAC and perpetrator panel meetings: agenda of cases, attending agencies, actions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel


class MeetingKind(models.TextChoices):
    MARAC = "marac", "MARAC (victim-focused)"
    PERPETRATOR_PANEL = "perpetrator_panel", "Perpetrator panel (MATAC / DA perpetrator panel)"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CONCLUDED = "concluded", "Concluded"


class Meeting(PublicIdModel):
    kind = models.CharField(max_length=24, choices=MeetingKind.choices)
    held_on = models.DateField()
    chair_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="chaired_meetings")
    attending_agencies = models.ManyToManyField("accounts.Agency", related_name="meetings_attended", blank=True)
    status = models.CharField(max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    concluded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on:%d %b %Y}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject(object_type="meeting", object_id=self.public_id, label=str(self))


class AgendaItem(PublicIdModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="agenda_items")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    discussion_summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["added_at"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="case_once_per_meeting")]

    def __str__(self) -> str:
        return f"{self.case} at {self.meeting}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject.on_case("agenda item", self, self.case)


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"


class MeetingAction(PublicIdModel):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    assigned_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="meeting_actions")
    description = models.TextField()
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["assigned_agency", "status", "due_on"])]

    def __str__(self) -> str:
        return f"Action for {self.assigned_agency} due {self.due_on}"
