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
    BAIL = "bail", "Bail conditions"
    LICENCE = "licence", "Licence conditions"


class ProtectiveOrder(PublicIdModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="orders")
    kind = models.CharField(max_length=24, choices=OrderKind.choices)
    reference = models.CharField(max_length=100, blank=True, help_text="Court or custody reference.")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    conditions = models.TextField()
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
