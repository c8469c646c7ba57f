"""Referrals of a case (and a person in it) from one agency to another."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.accounts.models import Role
from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Urgency(models.TextChoices):
    """Response targets in working days follow the design's referral cadence."""

    HIGH = "high", "High: response within 1 working day"
    MEDIUM = "medium", "Medium: response within 3 working days"
    STANDARD = "standard", "Standard: response within 5 working days"


RESPONSE_WORKING_DAYS = {Urgency.HIGH: 1, Urgency.MEDIUM: 3, Urgency.STANDARD: 5}


class Sharing(models.TextChoices):
    SUMMARY = "summary", "A summary only"
    WITH_VICTIM_CONTACT = "with_victim_contact", "A summary and the victim's contact details"


class Consent(models.TextChoices):
    GIVEN = "given", "Consent given"
    REFUSED = "refused", "Consent refused"
    OVERRIDDEN = "overridden", "Consent overridden (no consent, but the referral is necessary)"


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Verbally"
    WRITTEN = "written", "In writing"


class SubjectRole(models.TextChoices):
    PERPETRATOR = "perpetrator", "Perpetrator"
    VICTIM = "victim", "Victim"
    CHILD = "child", "Child"


class Referral(PublicIdModel):
    REFERENCE_PREFIX = "RF"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals")
    subject_person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="referrals")
    subject_role = models.CharField(max_length=16, choices=SubjectRole.choices)
    from_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="referrals_sent")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="referrals_received", null=True, blank=True
    )
    # An agency that is not on the system: recorded, and a printable summary handed over.
    external_agency_name = models.CharField(max_length=200, blank=True)
    external_agency_contact = models.CharField(max_length=200, blank=True)
    reason = models.TextField()
    urgency = models.CharField(max_length=16, choices=Urgency.choices)
    sharing = models.CharField(max_length=24, choices=Sharing.choices, default=Sharing.SUMMARY)
    consent = models.CharField(max_length=16, choices=Consent.choices)
    consent_method = models.CharField(max_length=16, choices=ConsentMethod.choices, blank=True)
    consent_override_reason = models.TextField(blank=True)
    consent_override_authorised_role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    consent_override_authorised_by = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    response_due_on = models.DateField(null=True, blank=True)
    first_opened_at = models.DateTimeField(
        null=True, blank=True, help_text="When the receiving agency first opened it."
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    access_ends_at = models.DateTimeField(
        null=True, blank=True, help_text="After completion the receiving agency keeps access until then."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdraw_reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"),
            models.CheckConstraint(
                condition=Q(to_agency__isnull=False) | ~Q(external_agency_name=""),
                name="referral_has_a_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["to_agency", "status", "response_due_on"]),
            models.Index(fields=["from_agency", "status"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def access_subject(self) -> AccessSubject:
        return AccessSubject(
            object_type="referral",
            object_id=self.public_id,
            label=f"Referral {self.reference}",
            case_reference=self.case.reference,
            person=self.subject_person,
        )

    @property
    def recipient_name(self) -> str:
        if self.to_agency is not None:
            return self.to_agency.name
        return f"{self.external_agency_name} (not on the system)"

    @property
    def is_external(self) -> bool:
        return self.to_agency_id is None

    @property
    def shares_victim_contact(self) -> bool:
        """What the receiving agency actually gets: never contact details for perpetrator-side agencies."""
        if self.sharing != Sharing.WITH_VICTIM_CONTACT or self.consent not in (Consent.GIVEN, Consent.OVERRIDDEN):
            return False
        return not (self.to_agency is not None and self.to_agency.is_perpetrator_side)


class ReferralUpdate(PublicIdModel):
    """An action or note recorded on a referral, usually by the receiving agency; the sender sees it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Update on {self.referral}"
