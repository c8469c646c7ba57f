"""Sign-in events on the access log: Django's sign-in, sign-out and failed sign-in, django-axes'
lock-out, and the second-factor events of the accounts app (dacrre/accounts/signals.py). Signals
are sent in the request itself, so the row is written before the response, as every log row is."""

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from dacrre.accounts.models import User
from dacrre.accounts.signals import (
    second_factor_accepted,
    second_factor_enrolled,
    second_factor_refused,
    second_factor_reset,
)

from .models import AccessAction
from .services import access_log_record


@receiver(user_logged_in)
def on_logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    access_log_record(user=user, action=AccessAction.LOGIN, request=request, detail="password accepted")


@receiver(user_logged_out)
def on_logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
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


@receiver(second_factor_accepted)
def on_second_factor_accepted(sender: Any, user: User, request: HttpRequest, device_name: str, **kwargs: Any) -> None:
    access_log_record(
        user=user, action=AccessAction.LOGIN, request=request, detail=f"second factor accepted ({device_name})"
    )


@receiver(second_factor_refused)
def on_second_factor_refused(sender: Any, user: User, request: HttpRequest, failures: int, **kwargs: Any) -> None:
    access_log_record(
        user=user, action=AccessAction.LOGIN_FAILED, request=request, detail=f"wrong second-factor code ({failures})"
    )


@receiver(second_factor_enrolled)
def on_second_factor_enrolled(sender: Any, user: User, **kwargs: Any) -> None:
    access_log_record(user=user, action=AccessAction.MFA_ENROLLED, detail="authenticator app confirmed")


@receiver(second_factor_reset)
def on_second_factor_reset(sender: Any, actor: User, user: User, **kwargs: Any) -> None:
    access_log_record(
        user=actor,
        action=AccessAction.MFA_RESET,
        object_type="user",
        object_id=user.public_id,
        object_label=f"Second factor of {user.username} reset",
    )
