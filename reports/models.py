"""Figures the performance report keeps from records that are gone."""

from django.db import models


class KeptFigure(models.Model):
    """One count the performance report made from a disposed case's records, kept without them (and
    without any personal data): a case opened, a visit completed, a referral sent to an agency... on
    a date (`on`, the local date the report compares with its periods), for the force, area and
    operation the case belonged to. Interventions carry their id (`source_id`): one recorded for all
    of a perpetrator's cases is counted once however many of them it counts for."""

    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("accounts.Area", on_delete=models.PROTECT, related_name="+")
    operation = models.ForeignKey("cases.Operation", on_delete=models.PROTECT, related_name="+")
    case_reference = models.CharField(max_length=20, db_index=True)
    metric = models.CharField(max_length=32)
    label = models.CharField(max_length=200, blank=True)
    on = models.DateField()
    count = models.PositiveIntegerField(default=1)
    source_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["owning_agency", "metric", "on"])]

    def __str__(self) -> str:
        return f"{self.case_reference}: {self.metric} {self.label} on {self.on} ({self.count})"
