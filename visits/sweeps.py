"""Reminders of visits due, to the perpetrator and to each victim (raised by the reminders app's sweep)."""

import datetime

from django.db.models import CharField, Expression, F, QuerySet, Value

from cases.models import Case, CaseStatus, CaseVictim
from reminders.models import ReminderKind
from reminders.sweeps import (
    LEAD_DAYS,
    NO_ONE,
    first_who_can,
    high_risk,
    owning_police,
    register_sweep,
    subject_key,
    sweep_rows,
)


def perpetrator_visit_owner(case: str) -> Expression:
    """can_record_visit: the offender manager if an officer of the owning force (integrated offender
    management), else the SPOC. A probation offender manager cannot log a police visit."""
    return first_who_can(case, ("offender_manager", owning_police), ("spoc", owning_police))


def victim_visit_owner(case: str) -> Expression:
    """can_record_visit: the victim's SPOC, else a police offender manager on the case."""
    return first_who_can(case, ("spoc", owning_police), ("offender_manager", owning_police))


@register_sweep(ReminderKind.PERPETRATOR_VISIT_DUE, owner=perpetrator_visit_owner)
def perpetrator_visits(today: datetime.date) -> QuerySet:
    return sweep_rows(
        Case.objects.exclude(status=CaseStatus.CLOSED).filter(
            next_perpetrator_visit_due__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ),
        r_case=F("pk"),
        r_subject=Value("perpetrator", output_field=CharField()),
        r_due=F("next_perpetrator_visit_due"),
        r_assignee=perpetrator_visit_owner(""),
        r_agency=NO_ONE,
        r_high=high_risk(),
    )


@register_sweep(ReminderKind.VICTIM_VISIT_DUE, owner=victim_visit_owner)
def victim_visits(today: datetime.date) -> QuerySet:
    return sweep_rows(
        CaseVictim.objects.exclude(case__status=CaseStatus.CLOSED).filter(
            next_visit_due__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ),
        r_case=F("case_id"),
        r_subject=subject_key("victim:", "victim_id"),
        r_due=F("next_visit_due"),
        r_assignee=victim_visit_owner("case__"),
        r_agency=NO_ONE,
        r_high=high_risk("case__"),
    )
