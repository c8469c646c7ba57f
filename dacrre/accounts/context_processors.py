"""The session's timing for the timeout warning, and a form's kept input to fill back in."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .session_expiry import session_timing


def session(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    context: dict[str, Any] = {"kept_input": getattr(request, "dacrre_kept_input", None)}
    verified = user is not None and (
        (settings.DEMO_SKIP_MFA and settings.DEBUG) or getattr(user, "is_verified", lambda: False)()
    )
    if user is not None and user.is_authenticated and verified:
        context["session_timeout"] = session_timing(request)
    return context
