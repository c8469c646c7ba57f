"""Reminders of meeting actions coming due, to the agency the action was given to."""

import datetime

from django.db.models import F, QuerySet

from cases.models import CaseStatus
from reminders.models import ReminderKind
from reminders.sweeps import LEAD_DAYS, NO_ONE, high_risk, register_sweep, subject_key, sweep_rows

from .models import ActionStatus, MeetingAction


# Owed by the assigned agency: everyone there who may complete it sees it.
@register_sweep(ReminderKind.MEETING_ACTION_DUE)
def meeting_actions(today: datetime.date) -> QuerySet:
    return sweep_rows(
        MeetingAction.objects.filter(
            status=ActionStatus.OPEN, due_on__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ).exclude(agenda_item__case__status=CaseStatus.CLOSED),
        r_case=F("agenda_item__case_id"),
        r_subject=subject_key("action:", "pk"),
        r_due=F("due_on"),
        r_assignee=NO_ONE,
        r_agency=F("assigned_agency_id"),
        r_high=high_risk("agenda_item__case__"),
    )
