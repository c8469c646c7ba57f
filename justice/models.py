"""Justice outcomes: what the criminal justice process did with each crime on a case (arrest,
interview, charge, bail or remand, CPS, court, out-of-court disposal, no further action), the
sergeant's review of every "no further action" decision, and the Victims' Code updates that tell
the victim of each of these.

One `Investigation` per crime holds its state and its Home Office outcome type; its `JusticeEvent`s
are the steps, in time order, never edited. Bail conditions are recorded once, as a protective order
of kind "bail" (orders.models.ProtectiveOrder), which the event points to: the orders panel and the
protection-gap reminders read them there.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel


class HomeOfficeOutcome(models.TextChoices):
    """The Home Office crime outcome types (Crime Outcomes framework, outcome types 1 to 22)."""

    CHARGE = "1", "1 Charge or summons"
    CAUTION_YOUTH = "2", "2 Caution (youth)"
    CAUTION_ADULT = "3", "3 Caution (adult)"
    TIC = "4", "4 Taken into consideration"
    OFFENDER_DIED = "5", "5 Offender died"
    PENALTY_NOTICE = "6", "6 Penalty notice for disorder"
    CANNABIS_WARNING = "7", "7 Cannabis or khat warning"
    COMMUNITY_RESOLUTION = "8", "8 Community resolution"
    NOT_PUBLIC_INTEREST_CPS = "9", "9 Prosecution not in the public interest (CPS)"
    NOT_PUBLIC_INTEREST_POLICE = "10", "10 Formal action not in the public interest (police)"
    UNDER_AGE = "11", "11 Prosecution prevented: suspect under age"
    SUSPECT_ILL = "12", "12 Prosecution prevented: suspect too ill"
    VICTIM_ILL = "13", "13 Prosecution prevented: victim or key witness dead or too ill"
    NO_SUSPECT_VICTIM_DECLINES = "14", "14 Evidential difficulties: suspect not identified, victim does not support"
    EVIDENTIAL_DIFFICULTIES = "15", "15 Evidential difficulties: suspect identified, victim supports action"
    VICTIM_DOES_NOT_SUPPORT = "16", "16 Evidential difficulties: suspect identified, victim does not support"
    TIME_LIMIT = "17", "17 Prosecution time limit expired"
    NO_SUSPECT = "18", "18 Investigation complete: no suspect identified"
    NFIB_FILED = "19", "19 Not investigated further (Action Fraud / NFIB)"
    OTHER_BODY = "20", "20 Action taken by another body or agency"
    FURTHER_INVESTIGATION_NOT_PUBLIC_INTEREST = "21", "21 Further investigation not in the public interest (police)"
    DIVERSION = "22", "22 Diversionary, educational or intervention activity"


# Positive outcomes (the Home Office's "sanction detections" and community resolutions): types 1-4
# and 6-8. Type 22 (diversion) is counted on its own, as forces report it.
POSITIVE_OUTCOMES = frozenset({"1", "2", "3", "4", "6", "7", "8"})
DIVERSION = "22"
# A "no further action" closes the crime with one of these.
NFA_OUTCOMES = frozenset({"5", *(str(n) for n in range(9, 22))})
# An out-of-court disposal closes it with one of these.
OUT_OF_COURT_OUTCOMES = frozenset({"2", "3", "6", "7", "8", "22"})


class InvestigationStatus(models.TextChoices):
    ONGOING = "ongoing", "Under investigation"
    CHARGED = "charged", "Charged"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal"
    NFA = "nfa", "No further action"


class EventKind(models.TextChoices):
    ARREST = "arrest", "Arrest"
    VOLUNTARY_INTERVIEW = "voluntary_interview", "Voluntary interview"
    BAIL = "bail", "Bail with conditions"
    REMAND = "remand", "Remanded in custody"
    CPS_REFERRAL = "cps_referral", "Referred to the CPS"
    CPS_DECISION = "cps_decision", "CPS decision"
    CHARGE = "charge", "Charged or summonsed"
    COURT_OUTCOME = "court_outcome", "Court outcome"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal"
    NFA = "nfa", "No further action"


class CpsDecision(models.TextChoices):
    CHARGE = "charge", "Charge authorised"
    NO_FURTHER_ACTION = "nfa", "No further action"
    MORE_EVIDENCE = "more_evidence", "Further evidence needed (action plan)"
    OUT_OF_COURT = "out_of_court", "Out-of-court disposal advised"


class CourtResult(models.TextChoices):
    GUILTY_PLEA = "guilty_plea", "Convicted on a guilty plea"
    CONVICTED = "convicted", "Convicted after trial"
    ACQUITTED = "acquitted", "Acquitted"
    DISCONTINUED = "discontinued", "Discontinued or withdrawn"
    DISMISSED = "dismissed", "Dismissed"


class EventSource(models.TextChoices):
    APP = "app", "Recorded here"
    IMPORT = "import", "Incident import"


class Investigation(PublicIdModel):
    """One crime's course through the justice process, on the case it was recorded on."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="investigations")
    incident = models.OneToOneField("incidents.Incident", on_delete=models.CASCADE, related_name="investigation")
    status = models.CharField(max_length=16, choices=InvestigationStatus.choices, default=InvestigationStatus.ONGOING)
    outcome_type = models.CharField(max_length=2, choices=HomeOfficeOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome_type="", outcome_on__isnull=True)
                | (~Q(outcome_type="") & Q(outcome_on__isnull=False)),
                name="justice_outcome_type_with_date",
            )
        ]

    def __str__(self) -> str:
        return f"Investigation of {self.incident.source_reference}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject.on_case("justice outcome", self, self.case)


class JusticeEvent(PublicIdModel):
    investigation = models.ForeignKey(Investigation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=EventKind.choices)
    occurred_at = models.DateTimeField()
    by_whom = models.CharField(max_length=200, blank=True, help_text="Officer, collar number, court or CPS area.")
    outcome_type = models.CharField(max_length=2, choices=HomeOfficeOutcome.choices, blank=True)
    reason = models.TextField(blank=True)
    cps_decision = models.CharField(max_length=16, choices=CpsDecision.choices, blank=True)
    court_result = models.CharField(max_length=16, choices=CourtResult.choices, blank=True)
    # Bail: the conditions live on the order (kind "bail"), which feeds the orders panel and reminders.
    order = models.ForeignKey(
        "orders.ProtectiveOrder", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=8, choices=EventSource.choices, default=EventSource.APP)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "pk"]
        constraints = [
            # The same step imported twice (an overlapping extract) is one step.
            models.UniqueConstraint(
                fields=["investigation", "kind", "occurred_at"],
                condition=Q(source="import"),
                name="justice_import_event_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {timezone.localtime(self.occurred_at):%d %b %Y}"


class ReviewStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting review"
    REVIEWED = "reviewed", "Reviewed"


class ReviewDecision(models.TextChoices):
    UPHELD = "upheld", "No further action upheld"
    OVERTURNED = "overturned", "Overturned: the investigation continues"


class NfaReview(PublicIdModel):
    """A sergeant's review of a domestic-abuse "no further action" decision."""

    event = models.OneToOneField(JusticeEvent, on_delete=models.CASCADE, related_name="review")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="nfa_reviews")
    status = models.CharField(max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.AWAITING)
    due_on = models.DateField()
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=12, choices=ReviewDecision.choices, blank=True)
    referred_to_cps = models.BooleanField(default=False)
    comments = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event__recorded_at", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return f"Review of {self.event}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject.on_case("NFA review", self, self.case)


class UpdateMethod(models.TextChoices):
    """Every way is the one the victim's safe-contact arrangements allow: never another."""

    SAFE_PHONE = "safe_phone", "By phone, on the safe number at a safe time"
    IN_PERSON = "in_person", "In person, where the arrangements allow"
    SAFE_MESSAGE = "safe_message", "By message, as the arrangements allow"


class VictimUpdate(PublicIdModel):
    """A Victims' Code update given to a victim: who told them, when, how, and about what."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="victim_updates")
    victim = models.ForeignKey("victims.Victim", on_delete=models.CASCADE, related_name="+")
    given_at = models.DateTimeField()
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=16, choices=UpdateMethod.choices)
    about = models.TextField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"Update to {self.victim} on {timezone.localtime(self.given_at):%d %b %Y}"
