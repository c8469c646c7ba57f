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


class ProgrammeAllocation(PublicIdModel):
    perpetrator = models.ForeignKey("perpetrators.Perpetrator", on_delete=models.PROTECT, related_name="allocations")
    programme = models.CharField(max_length=24, choices=Programme.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    lead_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)
    ended_reason = models.TextField(blank=True)
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
