"""DASH risk assessments: records in time, never changed after they are saved."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import RiskLevel
from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class RiskBands(models.Model):
    """The number of "yes" answers from which a score is medium and high (default 10 and 14).
    One row; editable in the admin."""

    medium_from = models.PositiveSmallIntegerField(default=10)
    high_from = models.PositiveSmallIntegerField(default=14)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "DASH risk bands"
        verbose_name_plural = "DASH risk bands"
        constraints = [
            models.CheckConstraint(
                condition=Q(medium_from__gte=1) & Q(high_from__gt=F("medium_from")) & Q(high_from__lte=27),
                name="risk_bands_ordered",
            )
        ]

    def __str__(self) -> str:
        return (
            f"Standard 0–{self.medium_from - 1}, medium {self.medium_from}–{self.high_from - 1}, high {self.high_from}+"
        )

    @classmethod
    def current(cls) -> "RiskBands":
        return cls.objects.order_by("pk").first() or cls()

    def level_for(self, yes_count: int) -> str:
        if yes_count >= self.high_from:
            return RiskLevel.HIGH
        if yes_count >= self.medium_from:
            return RiskLevel.MEDIUM
        return RiskLevel.STANDARD


class RiskAssessment(PublicIdModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="risk_assessments")
    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="risk_assessments")
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)
    # {question key: "yes" | "no" | "not_known"} for all 27 questions: one row per assessment keeps a
    # record in time whole, and the comparison reads two rows.
    answers = models.JSONField()
    yes_count = models.PositiveSmallIntegerField()
    score_level = models.CharField(max_length=16, choices=RiskLevel.choices)
    judgement_level = models.CharField(max_length=16, choices=RiskLevel.choices, blank=True)
    judgement_reason = models.TextField(blank=True)
    final_level = models.CharField(max_length=16, choices=RiskLevel.choices)
    visible_high_risk = models.BooleanField()
    potential_escalation = models.BooleanField()
    repeat_marac = models.BooleanField()
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_at", "-id"]

    def __str__(self) -> str:
        return f"DASH of {self.assessed_at:%d %b %Y}: {self.get_final_level_display()}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject.on_case("risk assessment", self, self.case, self.victim.person)

    @property
    def marac_referral_prompted(self) -> bool:
        return self.visible_high_risk or self.potential_escalation or self.repeat_marac

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise ValueError("A risk assessment is a record in time and is never changed.")
        super().save(*args, **kwargs)


class StalkingScreening(PublicIdModel):
    """The stalking and harassment screening (S-DASH, 11 questions) asked alongside DASH when the
    victim describes fixated, obsessive, unwanted and repeated behaviour. A record in time."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="stalking_screenings")
    victim = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="+")
    screened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    screened_at = models.DateTimeField(default=timezone.now)
    answers = models.JSONField()  # {question key: "yes" | "no" | "not_known"}
    yes_count = models.PositiveSmallIntegerField()
    high_risk = models.BooleanField(help_text="The answers show the indicators of high risk.")
    referred_on = models.DateField(null=True, blank=True, help_text="Referred to the stalking pathway.")
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-screened_at", "-id"]

    def __str__(self) -> str:
        return f"Stalking screening of {self.screened_at:%d %b %Y}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject.on_case("stalking screening", self, self.case, self.victim.person)
