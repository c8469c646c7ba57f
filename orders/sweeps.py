"""Reminders of protective orders coming to an end: 7 days and 1 day before (a risk moment for the victim)."""

import datetime

from django.db.models import Expression, F, QuerySet

from cases.models import CaseStatus
from reminders.models import ReminderKind
from reminders.sweeps import (
    NO_ONE,
    first_who_can,
    high_risk,
    owning_police,
    register_sweep,
    subject_key,
    sweep_rows,
)

from .models import ProtectiveOrder


def order_owner(case: str) -> Expression:
    """can_record_order: as for the perpetrator's visits, the police offender manager, else the SPOC."""
    return first_who_can(case, ("offender_manager", owning_police), ("spoc", owning_police))


def _orders_ending(today: datetime.date, within_days: int) -> QuerySet:
    # due_on is the day the order ends; the kind says how far ahead the reminder comes.
    return sweep_rows(
        ProtectiveOrder.objects.exclude(case__status=CaseStatus.CLOSED).filter(
            ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=within_days)
        ),
        r_case=F("case_id"),
        r_subject=subject_key("order:", "pk"),
        r_due=F("ends_on"),
        r_assignee=order_owner("case__"),
        r_agency=NO_ONE,
        r_high=high_risk("case__"),
    )


@register_sweep(ReminderKind.ORDER_ENDS_IN_7_DAYS, owner=order_owner)
def orders_ending_in_7_days(today: datetime.date) -> QuerySet:
    return _orders_ending(today, 7)


@register_sweep(ReminderKind.ORDER_ENDS_TOMORROW, owner=order_owner)
def orders_ending_tomorrow(today: datetime.date) -> QuerySet:
    return _orders_ending(today, 1)
