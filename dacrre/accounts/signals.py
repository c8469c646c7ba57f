"""The session's sign-in time (for the absolute limit) and the forms kept from the last session; and
the second-factor events this app sends, which the access log records (dacrre/audit/receivers.py,
with Django's own sign-in, sign-out and failure signals and django-axes' lock-out)."""

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import Signal, receiver
from django.http import HttpRequest

from .middleware import LOGIN_AT_SESSION_KEY
from .models import User
from .session_expiry import KEPT_PATHS_SESSION_KEY, kept_paths_for

# Sent in the request (or the service's transaction) where they happen, before the response.
second_factor_accepted = Signal()  # user, request, device_name
second_factor_refused = Signal()  # user, request, failures
second_factor_enrolled = Signal()  # user
second_factor_reset = Signal()  # actor, user: an administrator reset the user's second factor


@receiver(user_logged_in)
def on_logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    request.session[LOGIN_AT_SESSION_KEY] = time.time()
    # Forms this user posted after their last session ended: filled back in when they open them.
    request.session[KEPT_PATHS_SESSION_KEY] = kept_paths_for(user)


@receiver(user_logged_out)
def on_logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if not hasattr(request, "dacrre_signed_out"):  # the absolute limit and others say why themselves
        request.dacrre_signed_out = ("signed_out", None)  # type: ignore[attr-defined]
