"""Supervisor oversight: closure requests that need approval."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dacrre.core.models import PublicIdModel


class ClosureStatus(models.TextChoices):
    PENDING = "pending", "Awaiting a supervisor"
    APPROVED = "approved", "Approved: case closed"
    RETURNED = "returned", "Returned with comments"


class CaseClosureRequest(PublicIdModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="closure_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    status = models.CharField(max_length=16, choices=ClosureStatus.choices, default=ClosureStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            # One request awaiting a decision per case.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="one_pending_closure_request_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"Closure of {self.case} ({self.get_status_display()})"
