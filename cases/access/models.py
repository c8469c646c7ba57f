"""Per-agency case grants and break-glass access.

An agency sees a case it does not own when a grant source (an accepted referral, a meeting's
sharing) grants it. Each source is recorded in CaseAccessGrant, and the effective permission is
held with django-guardian on the agency's group, in a direct foreign-key table so that visibility
is one indexed join. Revoking one source keeps access given by another.

A grant can carry an end time (`expires_at`: a completed referral keeps access for its retention
window). Visibility reads it on every request, from the permission row, so access ends on time;
the hourly job only revokes what has already ended, for the record.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from guardian.models import GroupObjectPermissionBase

from dacrre.core.models import PublicIdModel


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="group_permissions")
    # When the permission ends: empty while any grant behind it is open-ended, else the latest end
    # of those grants (kept in step by cases.access.services).
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False
        verbose_name = "case permission of an agency"


class GrantSource(models.TextChoices):
    REFERRAL = "referral", "Accepted referral"
    MEETING = "meeting", "Meeting agenda"
    PROGRAMME = "programme", "Programme allocation"
    TRANSFER = "transfer", "Case transferred (the sending force's read access)"


class CaseAccessGrant(PublicIdModel):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="access_grants")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="case_grants")
    source_kind = models.CharField(max_length=16, choices=GrantSource.choices)
    source_id = models.UUIDField(
        help_text="Public id of the referral, meeting, allocation or transfer that gave the access."
    )
    shares_victim_contact = models.BooleanField(
        default=False, help_text="The source shares victims' contact details with consent."
    )
    purpose = models.CharField(max_length=200, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.CharField(max_length=200, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When the access ends by itself (a completed referral's retention)."
    )

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency", "source_kind", "source_id"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_grant_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.agency} ({self.get_source_kind_display()})"


class BreakGlassAccess(PublicIdModel):
    """A supervisor's look at a case of their own agency outside their scope, with a reason.

    Time-limited, logged, and flagged until an auditor reviews it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="break_glass")
    reason = models.TextField()
    opened_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = "break-glass access"
        verbose_name_plural = "break-glass accesses"
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user} opened {self.case}"
