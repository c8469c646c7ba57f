"""Sign-in events on the access log, and the session's sign-in time for the absolute limit."""

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record

from .middleware import LOGIN_AT_SESSION_KEY
from .models import User
from .session_expiry import KEPT_PATHS_SESSION_KEY, kept_paths_for


@receiver(user_logged_in)
def on_logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    request.session[LOGIN_AT_SESSION_KEY] = time.time()
    # Forms this user posted after their last session ended: filled back in when they open them.
    request.session[KEPT_PATHS_SESSION_KEY] = kept_paths_for(user)
    access_log_record(user=user, action=AccessAction.LOGIN, request=request, detail="password accepted")


@receiver(user_logged_out)
def on_logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if not hasattr(request, "dacrre_signed_out"):  # the absolute limit and others say why themselves
        request.dacrre_signed_out = ("signed_out", None)  # type: ignore[attr-defined]
    if user is not None:
        access_log_record(user=user, action=AccessAction.LOGOUT, request=request)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username", ""))[:150]
    user = User.objects.filter(username=username).first()
    access_log_record(user=user, username=username, action=AccessAction.LOGIN_FAILED, request=request)


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any) -> None:
    user = User.objects.filter(username=username).first() if username else None
    access_log_record(
        user=user,
        username=username or "",
        action=AccessAction.LOCKED_OUT,
        request=request,
        detail="too many failed sign-ins",
    )
