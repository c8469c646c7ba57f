"""Reads of break-glass accesses, for the auditors who review them."""

from django.db.models import QuerySet

from dacrre.accounts.models import User
from dacrre.audit.rules import can_read_access_log
from dacrre.core.exceptions import PermissionDeniedError

from .models import BreakGlassAccess


def break_glass_awaiting_review(user: User) -> QuerySet[BreakGlassAccess]:
    if not can_read_access_log(user):
        raise PermissionDeniedError("Only auditors can read the access log.")
    return BreakGlassAccess.objects.filter(reviewed_at__isnull=True).select_related(
        "user__agency", "case__perpetrator__person"
    )
