"""Reminders are database rows: the source of truth for what is due, raised by idempotent sweeps."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dacrre.core.models import PublicIdModel


class ReminderKind(models.TextChoices):
    PERPETRATOR_VISIT_DUE = "perpetrator_visit_due", "Visit to perpetrator due"
    VICTIM_VISIT_DUE = "victim_visit_due", "Visit to victim due"
    RISK_REVIEW_DUE = "risk_review_due", "Risk review (DASH) due"
    SAFETY_PLAN_REVIEW_DUE = "safety_plan_review_due", "Safety-plan review due"
    REFERRAL_RESPONSE_OVERDUE = "referral_response_overdue", "Referral awaiting a response"
    ORDER_ENDS_IN_7_DAYS = "order_ends_in_7_days", "Order ends in 7 days"
    ORDER_ENDS_TOMORROW = "order_ends_tomorrow", "Order ends tomorrow"
    MEETING_ACTION_DUE = "meeting_action_due", "Meeting action due"
    DISCLOSURE_DECISION_DUE = "disclosure_decision_due", "Clare's Law decision due"
    NEW_PARTNER_DISCLOSURE = "new_partner_disclosure", "New partner: consider a right-to-know disclosure"
    # The protection gap: when an order, bail conditions or a licence ends, three together.
    PROTECTION_ENDS_RISK_REVIEW = "protection_ends_risk_review", "Protection ends: review the risk"
    PROTECTION_ENDS_VICTIM_CONTACT = "protection_ends_victim_contact", "Protection ends: contact the victim"
    PROTECTION_ENDS_PERPETRATOR_VISIT = "protection_ends_perpetrator_visit", "Protection ends: visit the perpetrator"
    # Raised by the visit itself (not a sweep): for the case's supervisors to review.
    SAFEGUARDING_CONCERN = "safeguarding_concern", "Safeguarding concern to review"
    # Raised by an allocation (not a sweep): the new holder's first look at the case.
    CASE_ALLOCATED = "case_allocated", "Case allocated to you"
    # Justice outcomes: every domestic-abuse "no further action" decision is reviewed by a sergeant.
    NFA_REVIEW_DUE = "nfa_review_due", "No further action: sergeant's review due"
    # The Victims' Code: the victim is told of each change in the investigation, in time.
    VICTIM_CODE_UPDATE_DUE = "victim_code_update_due", "Victims' Code: update the victim"
    # Victims' experience: ask the victim how the service was (only through approved contact).
    SATISFACTION_SURVEY_DUE = "satisfaction_survey_due", "Victim satisfaction survey due"


class ReminderStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DISMISSED = "dismissed", "Dismissed"


class Reminder(PublicIdModel):
    kind = models.CharField(max_length=40, choices=ReminderKind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="reminders")
    # What the reminder is about inside the case, e.g. "perpetrator" or "victim:<public id>".
    subject_key = models.CharField(max_length=80)
    due_on = models.DateField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reminders", null=True, blank=True
    )
    # Work owed by a team rather than a person (a referral to answer, a meeting action): everyone
    # in the agency who may do it sees it.
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="reminders", null=True, blank=True
    )
    # The case was high risk when the reminder was raised: an e-mail goes at once, not in the digest.
    high_risk = models.BooleanField(default=False)
    notified_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ReminderStatus.choices, default=ReminderStatus.OPEN)
    dismissed_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        constraints = [
            # Sweeps can run twice or concurrently: the database refuses a second open reminder for
            # one due date. Closed ones may repeat: a due date that comes round again after its
            # reminder was done (a visit recorded late) is owed again and gets a new open row.
            models.UniqueConstraint(
                fields=["kind", "case", "subject_key", "due_on"],
                condition=Q(status=ReminderStatus.OPEN),
                name="unique_open_reminder_per_due_date",
            ),
        ]
        indexes = [
            # The sweep's "already raised?" look-up (open or dismissed rows for a due date).
            models.Index(fields=["kind", "case", "subject_key", "due_on"], name="reminder_due_date_lookup"),
            models.Index(fields=["assignee", "status", "due_on"]),
            models.Index(fields=["agency", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.due_on}"


# Open reminders overdue by more than this appear on the supervisor's list and in their digest.
ESCALATE_AFTER = datetime.timedelta(days=3)


class DigestSent(models.Model):
    """The daily digest went to this person on this day: a second run (or a second beat) sends none."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_per_day")]

    def __str__(self) -> str:
        return f"Digest to {self.user_id} on {self.day}"
