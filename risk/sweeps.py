"""Reminders of risk reviews (a new DASH assessment) due on a case."""

import datetime

from django.db.models import CharField, F, QuerySet, Value

from cases.models import Case, CaseStatus
from reminders.models import ReminderKind
from reminders.sweeps import LEAD_DAYS, NO_ONE, high_risk, register_sweep, review_owner, sweep_rows


@register_sweep(ReminderKind.RISK_REVIEW_DUE, owner=review_owner)
def risk_reviews(today: datetime.date) -> QuerySet:
    return sweep_rows(
        Case.objects.exclude(status=CaseStatus.CLOSED).filter(
            risk_review_due__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ),
        r_case=F("pk"),
        r_subject=Value("risk_review", output_field=CharField()),
        r_due=F("risk_review_due"),
        r_assignee=review_owner(""),
        r_agency=NO_ONE,
        r_high=high_risk(),
    )
