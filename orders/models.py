"""Protective orders and conditions, and their breaches. The end of one is a risk moment."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel


class OrderKind(models.TextChoices):
    DVPN = "dvpn", "Domestic violence protection notice (DVPN)"
    DVPO = "dvpo", "Domestic violence protection order (DVPO)"
    DAPN = "dapn", "Domestic abuse protection notice (DAPN)"
    DAPO = "dapo", "Domestic abuse protection order (DAPO)"
    RESTRAINING = "restraining", "Restraining order"
    NON_MOLESTATION = "non_molestation", "Non-molestation order"
    STALKING_PROTECTION = "stalking_protection", "Stalking protection order"
    INTERIM_STALKING_PROTECTION = "interim_spo", "Interim stalking protection order"
    BAIL = "bail", "Bail conditions"
    LICENCE = "licence", "Licence conditions"


class OrderRoute(models.TextChoices):
    """How a restraining order was made (Sentencing Act 2020 s.359 on conviction, s.360 on
    acquittal) or an order made in the family court."""

    CONVICTION = "conviction", "On conviction"
    ACQUITTAL = "acquittal", "On acquittal"
    FAMILY_COURT = "family_court", "At the family court"


class ProtectiveOrder(PublicIdModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(max_length=24, choices=OrderKind.choices)
    reference = models.CharField(max_length=100, blank=True, help_text="Court or custody reference.")
    starts_on = models.DateField()
    starts_time = models.TimeField(null=True, blank=True, help_text="When a notice was served or an order made.")
    ends_on = models.DateField(null=True, blank=True)
    ends_time = models.TimeField(null=True, blank=True)
    conditions = models.TextField()
    # Database defaults too: the benchmarks and the load data write orders in bulk by SQL.
    route = models.CharField(max_length=16, choices=OrderRoute.choices, blank=True, default="", db_default="")
    # Domestic abuse protection orders (Domestic Abuse Act 2021 ss.32-39, in the pilot areas).
    positive_requirements = models.TextField(blank=True, default="", db_default="")
    electronic_monitoring = models.BooleanField(default=False, db_default=False)
    notification_requirements = models.BooleanField(default=False, db_default=False)
    protected_victims = models.ManyToManyField("victims.Victim", related_name="+", blank=True)
    protected_children = models.ManyToManyField("victims.Child", related_name="+", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = [F("ends_on").asc(nulls_last=True)]
        indexes = [models.Index(fields=["ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="order_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.starts_on:%d %b %Y}"

    @property
    def ends_at_text(self) -> str:
        if self.ends_on is None:
            return ""
        return f"{self.ends_on:%-d %b %Y}" + (f" at {self.ends_time:%H:%M}" if self.ends_time else "")

    def access_subject(self) -> AccessSubject:
        return AccessSubject.on_case("protective order", self, self.case)


class OrderBreach(PublicIdModel):
    order = models.ForeignKey(ProtectiveOrder, on_delete=models.CASCADE, related_name="breaches")
    occurred_on = models.DateField()
    details = models.TextField()
    action_taken = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"Breach of {self.order} on {self.occurred_on:%d %b %Y}"
