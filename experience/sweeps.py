"""The satisfaction survey falls due SURVEY_AFTER_DAYS after the victim was first seen on the case
(the first completed visit to them that saw them): by then the victim has had contact, actions and
updates to rate, and the case is still open, so their officer or IDVA is still in touch with them
through their safe contact. Raised once per victim and case; no more once a survey is recorded,
answered or declined (experience.services.survey_record closes the reminder)."""

import datetime

from django.db.models import BooleanField, Exists, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import TruncDate

from cases.models import CaseStatus, CaseVictim
from reminders.models import ReminderKind
from reminders.sweeps import LEAD_DAYS, NO_ONE, register_sweep, review_owner, subject_key, sweep_rows
from visits.models import Visit, VisitOutcome, VisitStatus

from .models import SatisfactionSurvey

SURVEY_AFTER_DAYS = 28


def first_seen() -> Subquery:
    """The day the victim was first seen on the case, or NULL."""
    return Subquery(
        Visit.objects.filter(
            case_id=OuterRef("case_id"),
            victim_id=OuterRef("victim_id"),
            status=VisitStatus.COMPLETED,
            outcome=VisitOutcome.SEEN,
        )
        .order_by("occurred_at")
        .annotate(day=TruncDate("occurred_at"))
        .values("day")[:1]
    )


# Owed by whoever may record it (can_record_survey): the case's IDVA if of a victim-side agency, else
# the SPOC, else a police offender manager, as risk reviews.
@register_sweep(ReminderKind.SATISFACTION_SURVEY_DUE, owner=review_owner, due_offset_days=SURVEY_AFTER_DAYS)
def satisfaction_surveys(today: datetime.date) -> QuerySet:
    return sweep_rows(
        CaseVictim.objects.exclude(case__status=CaseStatus.CLOSED)
        .annotate(first_seen_on=first_seen())
        .filter(first_seen_on__lte=today + datetime.timedelta(days=LEAD_DAYS - SURVEY_AFTER_DAYS))
        .exclude(
            Exists(SatisfactionSurvey.objects.filter(case_id=OuterRef("case_id"), victim_id=OuterRef("victim_id")))
        ),
        r_case=F("case_id"),
        r_subject=subject_key("victim:", "victim_id"),
        r_due=F("first_seen_on"),
        r_assignee=review_owner("case__"),
        r_agency=NO_ONE,
        # Not safety work: never e-mailed at once, whatever the case's risk (it is in the digest).
        r_high=Value(False, output_field=BooleanField()),
    )
