"""Reminders of referrals the receiving agency has not answered by the response date."""

import datetime

from django.db.models import F, QuerySet

from reminders.models import ReminderKind
from reminders.sweeps import NO_ONE, high_risk, register_sweep, subject_key, sweep_rows

from .models import Referral, ReferralStatus


# Owed by the receiving agency: everyone there who may respond sees it.
@register_sweep(ReminderKind.REFERRAL_RESPONSE_OVERDUE)
def referrals_awaiting_response(today: datetime.date) -> QuerySet:
    return sweep_rows(
        Referral.objects.filter(status=ReferralStatus.SENT, to_agency__isnull=False, response_due_on__lt=today),
        r_case=F("case_id"),
        r_subject=subject_key("referral:", "pk"),
        r_due=F("response_due_on"),
        r_assignee=NO_ONE,
        r_agency=F("to_agency_id"),
        r_high=high_risk("case__"),
    )
