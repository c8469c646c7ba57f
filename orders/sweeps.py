"""Reminders of protective orders coming to an end: 7 days and 1 day before (a risk moment for the
victim), and the protection gap: as an order, bail conditions or a licence ends, a risk review, a
contact with the victim and a visit to the perpetrator are owed together, each until it is done."""

import datetime

from django.apps import apps
from django.db.models import DateField, Exists, Expression, F, OuterRef, QuerySet
from django.db.models.functions import Cast

from cases.models import CaseStatus
from reminders.models import ReminderKind
from reminders.services import PROTECTION_GAP_DONE_WITHIN_DAYS
from reminders.sweeps import (
    LEAD_DAYS,
    NO_ONE,
    first_who_can,
    high_risk,
    owning_police,
    register_sweep,
    review_owner,
    subject_key,
    sweep_rows,
    victim_side_idva,
)

from .models import ProtectiveOrder


def _work_done(done: str) -> QuerySet:
    """The records that show the protection-gap work done on the order's case, dated from a week
    before the end (`gap_since`): a DASH assessment; a visit made to a victim; a visit made to the
    perpetrator. Named by app label: the casework apps do not import each other."""
    if done == "risk":
        return apps.get_model("risk", "RiskAssessment").objects.filter(
            case=OuterRef("case_id"), assessed_at__date__gte=OuterRef("gap_since")
        )
    return apps.get_model("visits", "Visit").objects.filter(
        case=OuterRef("case_id"),
        status="completed",
        occurred_at__date__gte=OuterRef("gap_since"),
        victim__isnull=done == "perpetrator_visit",
    )


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


# How far back an order that has ended still raises its protection-gap work (a sweep missed over a
# weekend catches up; orders that ended long before this feature are not raised all at once).
GAP_LOOKBACK_DAYS = 14
# Work done this many days before the end counts (a DASH done the week bail ends).
GAP_DONE_WITHIN_DAYS = PROTECTION_GAP_DONE_WITHIN_DAYS


def _protection_ending(today: datetime.date, *, done: str) -> QuerySet:
    """Orders ending from GAP_LOOKBACK_DAYS ago to the reminders' horizon, less those whose work
    `done` (a lookup on the case's records dated from a week before the end) is done."""
    ending = (
        ProtectiveOrder.objects.exclude(case__status=CaseStatus.CLOSED)
        .filter(
            ends_on__gte=today - datetime.timedelta(days=GAP_LOOKBACK_DAYS),
            ends_on__lte=today + datetime.timedelta(days=LEAD_DAYS),
        )
        .annotate(gap_since=Cast(F("ends_on") - datetime.timedelta(days=GAP_DONE_WITHIN_DAYS), DateField()))
    )
    ending = ending.exclude(Exists(_work_done(done)))
    if done == "victim_visit":  # or a contact on the victim's side in the contact log
        contacts = apps.get_model("notes", "Note").objects.filter(
            case=OuterRef("case_id"), kind="contact", side="victim", occurred_on__gte=OuterRef("gap_since")
        )
        ending = ending.exclude(Exists(contacts))
    return ending


def _gap_rows(queryset: QuerySet, assignee: Expression) -> QuerySet:
    return sweep_rows(
        queryset,
        r_case=F("case_id"),
        r_subject=subject_key("order:", "pk"),
        r_due=F("ends_on"),
        r_assignee=assignee,
        r_agency=NO_ONE,
        r_high=high_risk("case__"),
    )


def victim_contact_owner(case: str) -> Expression:
    """The case's IDVA (a victim-side one), else the SPOC of the owning force."""
    return first_who_can(case, ("idva", victim_side_idva), ("spoc", owning_police))


@register_sweep(ReminderKind.PROTECTION_ENDS_RISK_REVIEW, owner=review_owner)
def protection_ends_risk_review(today: datetime.date) -> QuerySet:
    return _gap_rows(_protection_ending(today, done="risk"), review_owner("case__"))


@register_sweep(ReminderKind.PROTECTION_ENDS_VICTIM_CONTACT, owner=victim_contact_owner)
def protection_ends_victim_contact(today: datetime.date) -> QuerySet:
    return _gap_rows(_protection_ending(today, done="victim_visit"), victim_contact_owner("case__"))


@register_sweep(ReminderKind.PROTECTION_ENDS_PERPETRATOR_VISIT, owner=order_owner)
def protection_ends_perpetrator_visit(today: datetime.date) -> QuerySet:
    return _gap_rows(_protection_ending(today, done="perpetrator_visit"), order_owner("case__"))
