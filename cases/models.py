"""Operations, cases and the case chronology.

A case names its perpetrator, victims and children by app label ("perpetrators.Perpetrator"): those
apps sit above cases (their pages and visibility derive from the cases a user sees), so cases
imports neither (docs/architecture.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.accounts.models import Agency, Area
from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel, TimeStampedModel


class Operation(PublicIdModel, TimeStampedModel):
    """A named piece of work (e.g. a year-long repeat-offender operation); cases belong to one."""

    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="operations")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    # The lead force's areas the operation works in (none: the whole force).
    areas = models.ManyToManyField(Area, blank=True, related_name="operations")

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="operation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CaseStatus(models.TextChoices):
    IDENTIFIED = "identified", "Identified"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"
    CLOSED = "closed", "Closed"


class RiskLevel(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    STANDARD = "standard", "Standard"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class OpeningReason(models.TextChoices):
    """Why a case was opened by hand (cases opened from the ranking say so themselves)."""

    MARAC = "marac", "Discussed at a MARAC"
    PARTNER_CONCERN = "partner_concern", "A partner agency's concern"
    INCIDENT = "incident", "A new incident"
    TASKING_LIST = "tasking_list", "On a tasking list"
    OTHER = "other", "Other"


class VictimRelationship(models.TextChoices):
    CURRENT_PARTNER = "current_partner", "Current partner"
    EX_PARTNER = "ex_partner", "Ex-partner"
    FAMILY_MEMBER = "family_member", "Family member"
    OTHER = "other", "Other"


class ChildRelationship(models.TextChoices):
    CHILD_OF_VICTIM = "child_of_victim", "Child of the victim"
    CHILD_OF_PERPETRATOR = "child_of_perpetrator", "Child of the perpetrator"
    CHILD_OF_BOTH = "child_of_both", "Child of both"


# The people who hold a case: each sees it, has it on their caseload and may ask for it to close.
CASE_HOLDER_FIELDS = ("spoc", "offender_manager", "idva", "stalking_officer", "stalking_idva")


class Case(PublicIdModel, TimeStampedModel):
    """One perpetrator and the victims and children at risk from them, managed in an operation."""

    REFERENCE_PREFIX = "DA"

    reference = models.CharField(max_length=20, unique=True, editable=False)
    operation = models.ForeignKey(Operation, on_delete=models.PROTECT, related_name="cases")
    perpetrator = models.ForeignKey("perpetrators.Perpetrator", on_delete=models.PROTECT, related_name="cases")
    victims = models.ManyToManyField("victims.Victim", through="CaseVictim", related_name="cases")
    children = models.ManyToManyField("victims.Child", through="CaseChild", related_name="cases")
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="owned_cases")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cases")
    spoc = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_as_spoc",
        null=True,
        blank=True,
        verbose_name="SPOC",
        help_text="The victims' single point of contact.",
    )
    offender_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_as_offender_manager",
        null=True,
        blank=True,
    )
    idva = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_as_idva",
        null=True,
        blank=True,
        verbose_name="IDVA",
    )
    # The stalking pathway's specialists, allocated beside the case's usual holders where the case
    # is worked as stalking (docs/casework.md, "Stalking").
    stalking_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_as_stalking_officer",
        null=True,
        blank=True,
        verbose_name="stalking specialist officer",
    )
    stalking_idva = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases_as_stalking_idva",
        null=True,
        blank=True,
        verbose_name="stalking IDVA",
    )
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.IDENTIFIED)
    risk_level = models.CharField(max_length=16, choices=RiskLevel.choices, default=RiskLevel.NOT_ASSESSED)
    next_perpetrator_visit_due = models.DateField(null=True, blank=True)
    risk_review_due = models.DateField(null=True, blank=True)
    # The date of the latest referral of this case to MARAC: a new incident within 12 months of it
    # makes a "repeat MARAC" case.
    last_marac_referral_on = models.DateField(null=True, blank=True, verbose_name="last MARAC referral")
    opened_at = models.DateTimeField(default=timezone.now)
    # Database defaults too: bulk loaders (the benchmarks) insert cases with SQL.
    opening_reason = models.CharField(max_length=32, choices=OpeningReason.choices, blank=True, db_default="")
    opening_note = models.TextField(
        blank=True, db_default="", help_text="Why the case was opened, in the officer's words."
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["reference"]
        permissions = [("view_victim_contact", "Can see victims' contact details on the case")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CaseStatus.values), name="case_status_valid"),
            models.CheckConstraint(condition=Q(risk_level__in=RiskLevel.values), name="case_risk_level_valid"),
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED, closed_at__isnull=False)
                | (~Q(status=CaseStatus.CLOSED) & Q(closed_at__isnull=True)),
                name="case_closed_at_iff_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["owning_agency", "area", "status"]),
            models.Index(fields=["next_perpetrator_visit_due"]),
        ]

    def __str__(self) -> str:
        return self.reference

    def holder_ids(self) -> set[int]:
        """The ids of the people holding the case, in any of its roles."""
        return {pk for pk in (getattr(self, f"{name}_id") for name in CASE_HOLDER_FIELDS) if pk is not None}

    def access_subject(self) -> AccessSubject:
        return AccessSubject(
            object_type="case",
            object_id=self.public_id,
            label=f"Case {self.reference}",
            case_reference=self.reference,
            person=self.perpetrator.person,
        )


class CaseVictim(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_victims")
    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="case_links")
    next_visit_due = models.DateField(null=True, blank=True)
    relationship = models.CharField(
        max_length=32,
        choices=VictimRelationship.choices,
        blank=True,
        db_default="",
        verbose_name="relationship to the perpetrator",
    )
    # None: not recorded (victims added from incidents before this was asked).
    lives_with_perpetrator = models.BooleanField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "victim"], name="unique_victim_per_case")]
        indexes = [models.Index(fields=["next_visit_due"])]

    def __str__(self) -> str:
        return f"{self.victim} in {self.case}"


class CaseChild(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_children")
    child = models.ForeignKey("victims.Child", on_delete=models.PROTECT, related_name="case_links")
    relationship = models.CharField(max_length=32, choices=ChildRelationship.choices, blank=True, db_default="")

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "case children"
        constraints = [models.UniqueConstraint(fields=["case", "child"], name="unique_child_per_case")]

    def __str__(self) -> str:
        return f"{self.child} in {self.case}"


class CadenceKind(models.TextChoices):
    VISIT = "visit", "Visit to perpetrator and victims"
    RISK_REVIEW = "risk_review", "Risk review (new DASH)"
    SAFETY_PLAN_REVIEW = "safety_plan_review", "Safety-plan review"


class CadenceRule(models.Model):
    """An operation's own cadence for one kind and risk level, overriding the default."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="cadence_rules")
    kind = models.CharField(max_length=32, choices=CadenceKind.choices)
    risk_level = models.CharField(max_length=16, choices=RiskLevel.choices)
    days = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["operation", "kind", "risk_level"], name="one_cadence_rule_per_level"),
            models.CheckConstraint(condition=Q(days__gte=1) & Q(days__lte=365), name="cadence_days_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.operation}: {self.get_kind_display()} ({self.get_risk_level_display()}) every {self.days} days"


class ChronologyKind(models.TextChoices):
    CASE_OPENED = "case_opened", "Case opened"
    STATUS_CHANGED = "status_changed", "Status changed"
    PERSON_ADDED = "person_added", "Person added"
    ALLOCATION = "allocation", "Allocation"
    NOTE = "note", "Note"
    VISIT = "visit", "Visit"
    RISK_ASSESSMENT = "risk_assessment", "Risk assessment"
    SAFETY_PLAN = "safety_plan", "Safety plan"
    ORDER = "order", "Protective order"
    DISCLOSURE = "disclosure", "Clare's Law"
    REFERRAL = "referral", "Referral"
    MEETING = "meeting", "Meeting"
    INCIDENT = "incident", "Incident"
    DOCUMENT = "document", "Document"
    REOPENED = "reopened", "Reopened"
    TRANSFER = "transfer", "Transfer"


class ChronologyVisibility(models.TextChoices):
    ALL = "all", "Everyone with access to the case"
    VICTIM_SIDE = "victim_side", "Victim-side agencies only"


class ChronologyEntry(PublicIdModel):
    """What happened on a case and when. Written only by services; never edited afterwards."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="chronology")
    kind = models.CharField(max_length=32, choices=ChronologyKind.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chronology_entries", null=True, blank=True
    )
    summary = models.TextField()
    visibility = models.CharField(max_length=16, choices=ChronologyVisibility.choices, default=ChronologyVisibility.ALL)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "chronology entries"
        indexes = [models.Index(fields=["case", "-occurred_at"])]

    def __str__(self) -> str:
        return f"{self.case}: {self.get_kind_display()}"
