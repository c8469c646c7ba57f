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


class TransferStatus(models.TextChoices):
    PENDING = "pending", "Awaiting the receiving supervisor"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class CaseTransfer(PublicIdModel):
    """A case handed to another area of the force, or to another force on the system: asked by a
    supervisor of the owning force, accepted or declined by a supervisor of the receiving one."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="transfers")
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    from_area = models.ForeignKey("accounts.Area", on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    to_area = models.ForeignKey("accounts.Area", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    status = models.CharField(max_length=16, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    # Until when the sending force keeps read access to the case (a transfer to another force).
    sender_access_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="one_pending_transfer_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"Transfer of {self.case} to {self.to_area} ({self.get_status_display()})"
