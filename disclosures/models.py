"""Clare's Law (Domestic Violence Disclosure Scheme) applications."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel

DECISION_TARGET_DAYS = 28  # the scheme's target from receipt to decision


class Route(models.TextChoices):
    RIGHT_TO_ASK = "right_to_ask", "Right to ask"
    RIGHT_TO_KNOW = "right_to_know", "Right to know"


class Decision(models.TextChoices):
    DISCLOSE = "disclose", "Disclose"
    NOT_DISCLOSE = "not_disclose", "Do not disclose"


class DisclosureOutcome(models.TextChoices):
    MADE = "made", "Disclosure made"
    DECLINED = "declined", "Declined by the person at risk"


class DisclosureApplication(PublicIdModel):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="disclosure_applications")
    route = models.CharField(max_length=16, choices=Route.choices)
    # The person at risk: a victim of the case (the applicant under right to ask, unless a third party applies).
    person_at_risk = models.ForeignKey("victims.Victim", on_delete=models.PROTECT, related_name="+")
    applicant_name = models.CharField(max_length=200, help_text="The person at risk, or the third party who asked.")
    applicant_relationship = models.CharField(max_length=200, help_text="Relationship to the person at risk.")
    subject_relationship = models.CharField(
        max_length=200, help_text="The person at risk's relationship to the subject (the case's perpetrator)."
    )
    received_on = models.DateField()
    decided_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, blank=True)
    rationale = models.TextField(blank=True)
    outcome = models.CharField(max_length=16, choices=DisclosureOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_on"]

    def __str__(self) -> str:
        return f"{self.get_route_display()} application received {self.received_on:%d %b %Y}"

    def access_subject(self) -> AccessSubject:
        return AccessSubject.on_case("clare's law", self, self.case, self.person_at_risk.person)

    @property
    def decision_due(self) -> datetime.date:
        return self.received_on + datetime.timedelta(days=DECISION_TARGET_DAYS)
