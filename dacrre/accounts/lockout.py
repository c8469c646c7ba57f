"""Lockout after failed sign-ins (django-axes), with two limits:

- AXES_FAILURE_LIMIT failures for one username from one address lock that username there;
- AXES_ADDRESS_FAILURE_LIMIT failures from one address, whatever the usernames, lock the address
  (one address trying a password across many accounts).

A successful sign-in clears only its own username's failures from that address: signing in with one
valid account must not wipe the address's count of failures against the others."""

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def _recent_from_address(self, request: HttpRequest) -> QuerySet[AccessAttempt]:
        return AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]  # set by AxesMiddleware
            attempt_time__gte=get_cool_off_threshold(request),
        )

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """Failures as axes compares them with AXES_FAILURE_LIMIT: this username's from this address,
        or the limit itself once the address as a whole has reached AXES_ADDRESS_FAILURE_LIMIT."""
        from_address = self._recent_from_address(request)
        username = get_client_username(request, credentials)
        per_account = _failures(from_address.filter(username=username))
        if _failures(from_address) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(per_account, get_failure_limit(request, credentials))
        return per_account

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return deleted
