"""Reminders of Clare's Law decisions due 28 days after an application is received."""

import datetime

from django.db.models import DateField, Exists, Expression, F, Min, OuterRef, QuerySet
from django.db.models.functions import Cast

from cases.models import CaseStatus, CaseVictim
from incidents.models import Incident
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


# A new partner is raised for this many days after the incident that linked them (older links are
# not news), and their task falls due a week after it.
NEW_PARTNER_RAISED_FOR_DAYS = 90
NEW_PARTNER_DUE_DAYS = 7


@register_sweep(ReminderKind.NEW_PARTNER_DISCLOSURE, owner=disclosure_owner, due_offset_days=NEW_PARTNER_DUE_DAYS)
def new_partner_signals(today: datetime.date) -> QuerySet:
    """An imported incident links the perpetrator of an open case to someone not on it and without a
    Clare's Law application there: the SPOC considers a right-to-know disclosure (the case page's
    Clare's Law panel names the person and opens the form filled in)."""
    links = Incident.victims.through.objects.filter(
        incident__occurred_at__date__gte=today - datetime.timedelta(days=NEW_PARTNER_RAISED_FOR_DAYS),
        incident__perpetrator__cases__isnull=False,
    ).exclude(incident__perpetrator__cases__status=CaseStatus.CLOSED)
    case = "incident__perpetrator__cases__"
    fresh = links.exclude(
        Exists(CaseVictim.objects.filter(case=OuterRef(f"{case}id"), victim=OuterRef("victim_id")))
    ).exclude(
        Exists(DisclosureApplication.objects.filter(case=OuterRef(f"{case}id"), person_at_risk=OuterRef("victim_id")))
    )
    return sweep_rows(
        fresh.values(f"{case}id", "victim_id"),
        r_case=F(f"{case}id"),
        r_subject=subject_key("person:", "victim_id"),
        r_due=Cast(Min("incident__occurred_at"), DateField()),
        r_assignee=disclosure_owner(case),
        r_agency=NO_ONE,
        r_high=high_risk(case),
    )
