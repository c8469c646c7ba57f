"""The access log: who consulted, exported or disclosed what, when, from where and why.

Append-only. The application never updates or deletes a row (the model refuses, the admin is
read-only); on PostgreSQL a trigger refuses UPDATE and DELETE as well, and `manage.py
access_log_roles` gives the table to a NOLOGIN owner role, so that the application's own database
role may only INSERT and SELECT it (see docs/operations.md).

On PostgreSQL the table is range-partitioned by `occurred_at` month (migration 0005); months older
than ACCESS_LOG_RETENTION_MONTHS are archived to a file and dropped by a scheduled job
(`partitions.py`), the only way a row leaves the database. There the primary key is (id,
occurred_at), as PostgreSQL requires of a partitioned table; the model keeps `id` as its primary
key, which stays unique (one sequence), so lookups by id work as before.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class AccessAction(models.TextChoices):
    COLLECT = "collect", "Collected (imported)"
    VIEW = "view", "Viewed"
    VIEW_CONFIDENTIAL = "view_confidential", "Viewed confidential details"
    LIST = "list", "Listed or searched"
    EXPORT = "export", "Exported"
    DISCLOSE = "disclose", "Disclosed to another agency"
    REVOKE = "revoke", "Disclosure withdrawn"
    BREAK_GLASS = "break_glass", "Break-glass access"
    LOGIN = "login", "Signed in"
    LOGIN_FAILED = "login_failed", "Failed sign-in"
    LOCKED_OUT = "locked_out", "Locked out"
    LOGOUT = "logout", "Signed out"
    MFA_ENROLLED = "mfa_enrolled", "Second factor enrolled"
    MFA_RESET = "mfa_reset", "Second factor reset"
    ACCOUNT_CHANGED = "account_changed", "Account changed"
    MERGE = "merge", "People records merged"
    UNMERGE = "unmerge", "People merge reversed"
    ERASE = "erase", "Erased (disposed of at a retention review)"


class AppendOnlyError(Exception):
    pass


class AccessLog(models.Model):
    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Snapshots as well as links: the row must stay readable whatever later happens to the user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    username = models.CharField(max_length=150)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    agency_name = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=32, choices=AccessAction.choices)
    # What was touched: the record's kind and opaque id, plus the case it belongs to.
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_label = models.CharField(max_length=200, blank=True)
    case_reference = models.CharField(max_length=20, blank=True, db_index=True)
    person_id = models.CharField(max_length=64, blank=True, db_index=True)
    person_label = models.CharField(max_length=200, blank=True)
    detail = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    path = models.CharField(max_length=500, blank=True)
    flagged_for_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["user", "occurred_at"]), models.Index(fields=["agency", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_label}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Access log rows cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Access log rows cannot be deleted.")
