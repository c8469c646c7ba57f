"""Retention reviews of closed cases, and what disposal leaves behind.

A closed case comes up for review after the period of the retention schedule (`records.schedule`).
A reviewer retains it (with a reason and the date of the next review: a `RetentionReview`) or
disposes of it: its records, documents and stored files, and the people who appear in no record
that is kept, are removed; a `DisposalRecord` says what was removed, when and by whom, without any
personal data, and the performance report keeps its counts (reports.models.KeptFigure).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel


class RetentionReview(PublicIdModel):
    """A decision to keep a closed case: why, and when it is reviewed again. Removed with the case if
    it is later disposed of (the disposal record counts them)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="retention_reviews")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    next_review_on = models.DateField()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["case", "-decided_at"])]

    def __str__(self) -> str:
        return f"Retained until {self.next_review_on}"


class DisposalRecord(PublicIdModel):
    """A disposed case: its reference (which names nobody), the force, area and operation it
    belonged to and its dates, what was removed (counts by kind of record), why, when and by whom.
    Kept for good: it holds no personal data."""

    case_reference = models.CharField(max_length=20, unique=True)
    owning_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey("accounts.Area", on_delete=models.PROTECT, related_name="+")
    operation = models.ForeignKey("cases.Operation", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField()
    risk_level = models.CharField(max_length=16)
    schedule_rule = models.CharField(max_length=200)
    due_on = models.DateField()
    reason = models.TextField()
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    disposed_at = models.DateTimeField(default=timezone.now)
    # {"Visits": 3, "Documents": 2, ...}: rows removed by kind of record, the people's included.
    removed = models.JSONField(default=dict)
    people_removed = models.PositiveIntegerField(default=0)
    people_kept = models.PositiveIntegerField(default=0)
    files_removed = models.PositiveIntegerField(default=0)
    earlier_reviews = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-disposed_at", "-id"]
        indexes = [models.Index(fields=["owning_agency", "-disposed_at"])]

    def __str__(self) -> str:
        return f"Disposal of {self.case_reference}"


class RetentionNotice(models.Model):
    """The reminder to an agency's data protection officers that closed cases await review: at most
    one a week (the job runs daily)."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    due_count = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "sent_on"], name="one_retention_notice_a_day")]

    def __str__(self) -> str:
        return f"{self.due_count} reviews due, told on {self.sent_on}"


class SubjectAccessRequest(PublicIdModel):
    """A subject access request a data protection officer answered with an export of everything the
    force holds in the app about one person. Each download is on the access log."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Subject access request {self.reference}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject(
            object_type="subject access request", object_id=self.public_id, label=str(self), person=self.person
        )
