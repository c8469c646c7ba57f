"""Target-hardening equipment: the register of items an agency holds (dash cameras, video doorbells,
alarms...), who paid for them, which victim has each one and where it is installed, and evidence
the equipment gave.

Where an item is installed says where a victim lives: it is read only by users who may see the
victims' contact details on the case (cases.selectors.case_victim_contact_allowed). The other
apps' records (a safety plan's measure, an incident, an order's breach) are named by app label:
the casework apps do not import each other.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel


class EquipmentKind(models.TextChoices):
    DASH_CAMERA = "dash_camera", "Dash camera"
    VIDEO_DOORBELL = "video_doorbell", "Video doorbell"
    PERSONAL_ALARM = "personal_alarm", "Personal alarm"
    EMERGENCY_PHONE = "emergency_phone", "Emergency phone"
    LOCKS = "locks", "Locks and sanctuary measures"
    OTHER = "other", "Other"


class ItemStatus(models.TextChoices):
    IN_STORE = "in_store", "In store"
    ISSUED = "issued", "Issued"
    WRITTEN_OFF = "written_off", "Written off"


class Fund(PublicIdModel):
    """Where the money came from, e.g. a named perpetrator intervention fund."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="one_fund_name_per_agency")]

    def __str__(self) -> str:
        return self.name


class EquipmentItem(PublicIdModel):
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=EquipmentKind.choices)
    description = models.CharField(max_length=200, blank=True, help_text="Make and model.")
    asset_number = models.CharField(max_length=100, help_text="Serial or asset number.")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="items")
    cost = models.DecimalField(max_digits=9, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    bought_on = models.DateField()
    status = models.CharField(max_length=12, choices=ItemStatus.choices, default=ItemStatus.IN_STORE)
    condition = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "asset_number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "asset_number"], name="one_asset_number_per_agency"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="equipment_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset_number}"


class EquipmentIssue(PublicIdModel):
    """One item with one victim on one case, from issue to return or removal."""

    item = models.ForeignKey(EquipmentItem, on_delete=models.PROTECT, related_name="issues")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="equipment_issues")
    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="+")
    safety_measure = models.ForeignKey(
        "safety_plans.SafetyMeasure", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    issued_on = models.DateField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    installed_on = models.DateField(null=True, blank=True)
    # Victim-confidential: where the victim lives or travels.
    installed_at = models.CharField(max_length=300, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    return_reason = models.CharField(max_length=300, blank=True)
    condition_on_return = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = [F("returned_on").desc(nulls_first=True), "-issued_on"]
        constraints = [
            # An item is with one victim at a time.
            models.UniqueConstraint(fields=["item"], condition=Q(returned_on__isnull=True), name="one_open_issue"),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("issued_on")),
                name="returned_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} issued {self.issued_on:%d %b %Y}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject(
            object_type="equipment issue",
            object_id=self.public_id,
            label=f"{self.item} on case {self.case.reference}",
            case_reference=self.case.reference,
            person=self.victim.person,
        )


class EquipmentEvidence(PublicIdModel):
    """Footage or other evidence the equipment gave, noted against an incident or a breach."""

    issue = models.ForeignKey(EquipmentIssue, on_delete=models.CASCADE, related_name="evidence")
    obtained_on = models.DateField()
    description = models.TextField()
    incident = models.ForeignKey("incidents.Incident", on_delete=models.SET_NULL, null=True, blank=True)
    breach = models.ForeignKey("orders.OrderBreach", on_delete=models.SET_NULL, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-obtained_on"]

    def __str__(self) -> str:
        return f"Evidence from {self.issue.item} on {self.obtained_on:%d %b %Y}"
