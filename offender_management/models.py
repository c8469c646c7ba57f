"""Programme allocations of perpetrators and interventions by any agency."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.core.models import PublicIdModel


class Programme(models.TextChoices):
    MATAC = "matac", "MATAC"
    DRIVE = "drive", "Drive"
    IOM = "iom", "Integrated offender management"
    BEHAVIOUR_CHANGE = "behaviour_change", "Behaviour-change programme"
    TOP_N_TASKING = "top_n_tasking", "Monthly top-N tasking"


class ProgrammeStage(models.TextChoices):
    REFERRED = "referred", "Referred"
    ASSESSED = "assessed", "Assessed"
    ENGAGED = "engaged", "Engaged"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The moves a programme makes, and no others: withdrawal from any stage before completion.
STAGE_MOVES: dict[str, set[str]] = {
    ProgrammeStage.REFERRED: {ProgrammeStage.ASSESSED, ProgrammeStage.WITHDRAWN},
    ProgrammeStage.ASSESSED: {ProgrammeStage.ENGAGED, ProgrammeStage.WITHDRAWN},
    ProgrammeStage.ENGAGED: {ProgrammeStage.COMPLETED, ProgrammeStage.WITHDRAWN},
    ProgrammeStage.COMPLETED: set(),
    ProgrammeStage.WITHDRAWN: set(),
}


class ProgrammeAllocation(PublicIdModel):
    perpetrator = models.ForeignKey("perpetrators.Perpetrator", on_delete=models.PROTECT, related_name="allocations")
    programme = models.CharField(max_length=24, choices=Programme.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    lead_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    ended_reason = models.TextField(blank=True)
    stage = models.CharField(
        max_length=12, choices=ProgrammeStage.choices, default=ProgrammeStage.REFERRED, db_default="referred"
    )
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = [F("ends_on").asc(nulls_first=True), "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="allocation_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.perpetrator} on {self.get_programme_display()}"


class InterventionType(models.TextChoices):
    SUPPORT = "support", "Support"
    PREVENTION = "prevention", "Prevention"
    DIVERSION = "diversion", "Diversion"
    DISRUPTION = "disruption", "Disruption"
    ENFORCEMENT = "enforcement", "Enforcement"


class Intervention(PublicIdModel):
    perpetrator = models.ForeignKey("perpetrators.Perpetrator", on_delete=models.PROTECT, related_name="interventions")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="interventions", null=True, blank=True
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=InterventionType.choices)
    occurred_on = models.DateField()
    description = models.TextField()
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.perpetrator} on {self.occurred_on}"


class ProgrammeStageChange(models.Model):
    allocation = models.ForeignKey(ProgrammeAllocation, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=12, choices=ProgrammeStage.choices)
    to_stage = models.CharField(max_length=12, choices=ProgrammeStage.choices)
    changed_on = models.DateField()
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_on", "changed_at"]

    def __str__(self) -> str:
        return f"{self.from_stage} to {self.to_stage} on {self.changed_on:%d %b %Y}"


class ProgrammeAttendance(models.Model):
    allocation = models.ForeignKey(ProgrammeAllocation, on_delete=models.CASCADE, related_name="attendance")
    session_on = models.DateField()
    attended = models.BooleanField()
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-session_on"]
        constraints = [models.UniqueConstraint(fields=["allocation", "session_on"], name="one_attendance_per_session")]

    def __str__(self) -> str:
        return f"Session {self.session_on:%d %b %Y}: {'attended' if self.attended else 'missed'}"


class BehaviourCategory(models.TextChoices):
    """The categories of abusive behaviour a programme measures at start and exit."""

    PHYSICAL = "physical", "Physical abuse"
    SEXUAL = "sexual", "Sexual abuse"
    EMOTIONAL = "emotional", "Emotional and psychological abuse"
    HARASSMENT_STALKING = "harassment_stalking", "Harassment and stalking"
    ECONOMIC = "economic", "Economic abuse"
    CONTROLLING = "controlling", "Jealous and controlling behaviour"


class Frequency(models.IntegerChoices):
    NONE = 0, "None"
    ONCE_OR_TWICE = 1, "Once or twice"
    SOMETIMES = 2, "Sometimes"
    OFTEN = 3, "Often"


class MeasurePoint(models.TextChoices):
    START = "start", "At the start"
    EXIT = "exit", "At exit"


class BehaviourMeasure(models.Model):
    """The programme's own measure of the behaviour in the period before it: at the start and at exit."""

    allocation = models.ForeignKey(ProgrammeAllocation, on_delete=models.CASCADE, related_name="measures")
    point = models.CharField(max_length=8, choices=MeasurePoint.choices)
    measured_on = models.DateField()
    scores = models.JSONField()  # {category: frequency 0-3} for every BehaviourCategory
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["allocation", "point"], name="one_measure_per_point")]

    def __str__(self) -> str:
        return f"{self.get_point_display()} measure of {self.measured_on:%d %b %Y}"
