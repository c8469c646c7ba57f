"""Reminders of safety-plan reviews due."""

import datetime

from django.db.models import F, QuerySet

from cases.models import CaseStatus
from reminders.models import ReminderKind
from reminders.sweeps import LEAD_DAYS, NO_ONE, high_risk, register_sweep, review_owner, subject_key, sweep_rows

from .models import SafetyPlan


@register_sweep(ReminderKind.SAFETY_PLAN_REVIEW_DUE, owner=review_owner)
def safety_plan_reviews(today: datetime.date) -> QuerySet:
    return sweep_rows(
        SafetyPlan.objects.exclude(case__status=CaseStatus.CLOSED).filter(
            review_due__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ),
        r_case=F("case_id"),
        r_subject=subject_key("plan:", "pk"),
        r_due=F("review_due"),
        r_assignee=review_owner("case__"),
        r_agency=NO_ONE,
        r_high=high_risk("case__"),
    )
