"""Reminders of Clare's Law decisions due 28 days after an application is received."""

import datetime

from django.db.models import Expression, F, QuerySet

from cases.models import CaseStatus
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

from .models import DECISION_TARGET_DAYS, DisclosureApplication


def disclosure_owner(case: str) -> Expression:
    """can_record_disclosure: Clare's Law decisions are the police's: the SPOC, else a police
    offender manager."""
    return first_who_can(case, ("spoc", owning_police), ("offender_manager", owning_police))


@register_sweep(ReminderKind.DISCLOSURE_DECISION_DUE, owner=disclosure_owner, due_offset_days=DECISION_TARGET_DAYS)
def disclosure_decisions(today: datetime.date) -> QuerySet:
    # Due 28 days after receipt. Stated as "received on or before" so that no date arithmetic
    # differs between PostgreSQL and SQLite; the due date is added in the INSERT (see _date_plus).
    received_by = today + datetime.timedelta(days=LEAD_DAYS) - datetime.timedelta(days=DECISION_TARGET_DAYS)
    return sweep_rows(
        DisclosureApplication.objects.filter(decided_on__isnull=True, received_on__lte=received_by).exclude(
            case__status=CaseStatus.CLOSED
        ),
        r_case=F("case_id"),
        r_subject=subject_key("disclosure:", "pk"),
        r_due=F("received_on"),
        r_assignee=disclosure_owner("case__"),
        r_agency=NO_ONE,
        r_high=high_risk("case__"),
    )
