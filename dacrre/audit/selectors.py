"""Reads of the access log, for auditors only."""

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from dacrre.accounts.models import User
from dacrre.core.exceptions import PermissionDeniedError

from .models import AccessLog
from .rules import can_read_access_log


def _require_auditor(user: User) -> None:
    if not can_read_access_log(user):
        raise PermissionDeniedError("Only auditors can read the access log.")


def access_logs_search(user: User, filters: dict[str, Any]) -> QuerySet[AccessLog]:
    """Answer 'who looked at this victim / case / with this account / from this agency, and when?'"""
    _require_auditor(user)
    logs = AccessLog.objects.all()
    if person := filters.get("person"):
        logs = logs.filter(Q(person_label__icontains=person) | Q(person_id=person) | Q(object_id=person))
    if case_reference := filters.get("case_reference"):
        logs = logs.filter(case_reference__iexact=case_reference.strip())
    if username := filters.get("username"):
        logs = logs.filter(username__iexact=username.strip())
    if agency := filters.get("agency"):
        logs = logs.filter(agency_id=agency.pk)
    if action := filters.get("action"):
        logs = logs.filter(action=action)
    tz = timezone.get_current_timezone()
    if date_from := filters.get("date_from"):
        logs = logs.filter(occurred_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tz))
    if date_to := filters.get("date_to"):
        logs = logs.filter(
            occurred_at__lt=datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tz)
        )
    if filters.get("flagged_only"):
        logs = logs.filter(flagged_for_review=True)
    return logs.order_by("-occurred_at", "-id")
