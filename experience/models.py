"""Victims' experience: how satisfied a victim was with the service, on the five aspects the force
measures, and the thresholds below which the force calls an aspect's satisfaction Low."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel


class Aspect(models.TextChoices):
    EASE_OF_CONTACT = "ease_of_contact", "Ease of Contact"
    ACTIONS_TAKEN = "actions_taken", "Actions Taken"
    PROGRESS_UPDATES = "progress_updates", "Progress Updates"
    TREATMENT_BY_STAFF = "treatment_by_staff", "Treatment by Staff"
    WHOLE_EXPERIENCE = "whole_experience", "Whole Experience"


class Satisfaction(models.TextChoices):
    COMPLETELY = "completely_satisfied", "Completely satisfied"
    VERY = "very_satisfied", "Very satisfied"
    FAIRLY = "fairly_satisfied", "Fairly satisfied"
    NEITHER = "neither", "Neither satisfied nor dissatisfied"
    FAIRLY_DISSATISFIED = "fairly_dissatisfied", "Fairly dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"
    COMPLETELY_DISSATISFIED = "completely_dissatisfied", "Completely dissatisfied"
    DECLINED = "declined", "Did not want to answer"


# "% satisfied" = these answers / answers given (Did not want to answer is not an answer given).
SATISFIED = (Satisfaction.COMPLETELY, Satisfaction.VERY, Satisfaction.FAIRLY)


class SurveyOutcome(models.TextChoices):
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "The victim did not want to take part"


class SurveyMethod(models.TextChoices):
    PHONE = "phone", "By phone, through the victim's safe-contact arrangements"
    IN_PERSON = "in_person", "In person"


class SatisfactionSurvey(PublicIdModel):
    """One victim's answers (or their refusal) for one case: asked once per victim and case."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="satisfaction_surveys")
    victim = models.ForeignKey("victims.Victim", on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=16, choices=SurveyOutcome.choices)
    method = models.CharField(max_length=16, choices=SurveyMethod.choices)
    surveyed_on = models.DateField()
    ease_of_contact = models.CharField(max_length=32, choices=Satisfaction.choices, blank=True)
    actions_taken = models.CharField(max_length=32, choices=Satisfaction.choices, blank=True)
    progress_updates = models.CharField(max_length=32, choices=Satisfaction.choices, blank=True)
    treatment_by_staff = models.CharField(max_length=32, choices=Satisfaction.choices, blank=True)
    whole_experience = models.CharField(max_length=32, choices=Satisfaction.choices, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-surveyed_on"]
        constraints = [
            models.UniqueConstraint(fields=["case", "victim"], name="one_satisfaction_survey_per_victim_and_case"),
            # Answered: every aspect has an answer (which may be "did not want to answer");
            # declined: none has.
            models.CheckConstraint(
                condition=(Q(outcome=SurveyOutcome.ANSWERED) & ~Q(**dict.fromkeys(Aspect.values, "")))
                | Q(outcome=SurveyOutcome.DECLINED, **dict.fromkeys(Aspect.values, "")),
                name="survey_answers_match_outcome",
            ),
        ]
        indexes = [models.Index(fields=["surveyed_on"])]

    def __str__(self) -> str:
        return f"Satisfaction survey of {self.victim} ({self.get_outcome_display().lower()})"

    def access_subject(self) -> AccessSubject:
        return AccessSubject(object_type="satisfaction survey", object_id=self.public_id, label=str(self))

    def answers(self) -> list[tuple[str, str]]:
        return [(Aspect(a).label, Satisfaction(getattr(self, a)).label) for a in Aspect.values if getattr(self, a)]


DEFAULT_THRESHOLD = 80


def _threshold_field(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        default=DEFAULT_THRESHOLD,
        validators=[MaxValueValidator(100)],
        verbose_name=f"{label}: % satisfied below which the status is Low",
    )


class SatisfactionThreshold(models.Model):
    """The force's thresholds, one row per agency (none: DEFAULT_THRESHOLD for every aspect)."""

    agency = models.OneToOneField("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    ease_of_contact = _threshold_field("Ease of Contact")
    actions_taken = _threshold_field("Actions Taken")
    progress_updates = _threshold_field("Progress Updates")
    treatment_by_staff = _threshold_field("Treatment by Staff")
    whole_experience = _threshold_field("Whole Experience")

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(**{f"{a}__lte": 100}), name=f"threshold_{a}_at_most_100")
            for a in Aspect.values
        ]

    def __str__(self) -> str:
        return f"Satisfaction thresholds of {self.agency}"

    @classmethod
    def for_agency(cls, agency_id: int) -> "SatisfactionThreshold":
        return cls.objects.filter(agency_id=agency_id).first() or cls(agency_id=agency_id)

    def of(self, aspect: str) -> int:
        return int(getattr(self, aspect))
