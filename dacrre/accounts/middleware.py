"""Sign-in rules applied to every request: the 12-hour absolute session limit, the second factor,
and what happens around the end of a session (see session_expiry)."""

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import session_expiry
from .auth import session_end_if_withdrawn

LOGIN_AT_SESSION_KEY = "dacrre_login_at"
# Reachable before the second factor: signing in and out, enrolling, static files, health checks.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz")


def _to_sign_in(next_path: str) -> HttpResponse:
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_path})}")


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if withdrawn := session_end_if_withdrawn(request):
            return withdrawn
        user = request.user
        if user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            if login_at is None or time.time() - login_at > settings.SESSION_ABSOLUTE_SECONDS:
                # A form posted just too late is kept for the user, as after the idle timeout.
                next_path = request.get_full_path()
                if session_expiry.is_keepable(request):
                    next_path = session_expiry.submission_keep(request=request, user_id=user.pk)
                request.dacrre_signed_out = ("ended", user.pk)  # type: ignore[attr-defined]
                logout(request)
                return _to_sign_in(next_path)
        return self.get_response(request)


class SignInStateMiddleware:
    """Remembers on this browser how its last session ended (a signed cookie, see session_expiry),
    keeps a form posted after the idle timeout, and fills it back in once its user has signed in
    again. Runs after CsrfViewMiddleware's check (process_view): only a genuine form is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        reason = getattr(request, "dacrre_signed_out", None)
        if reason is not None:
            session_expiry.state_write(response, *reason)
        elif request.user.is_authenticated and session_expiry.state_read(request) != ("active", request.user.pk):
            session_expiry.state_write(response, "active", request.user.pk)
        return response

    def process_view(self, request: HttpRequest, view_func: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            state, user_id = session_expiry.state_read(request)
            if state in {"active", "kept"} and user_id is not None and session_expiry.is_keepable(request):
                form_path = session_expiry.submission_keep(request=request, user_id=user_id)
                request.dacrre_signed_out = ("kept", user_id)  # type: ignore[attr-defined]
                return _to_sign_in(form_path)
            return None
        waiting = request.session.get(session_expiry.KEPT_PATHS_SESSION_KEY)
        if request.method == "GET" and waiting and request.path in waiting:
            request.session[session_expiry.KEPT_PATHS_SESSION_KEY] = [p for p in waiting if p != request.path]
            kept = session_expiry.submission_take(user=user, form_path=request.path)
            if kept is not None:
                request.dacrre_kept_input = kept  # type: ignore[attr-defined]
                messages.warning(
                    request,
                    "You were signed out before this form was saved. What you typed has been filled in: "
                    "check it and submit it.",
                )
        return None


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not (settings.DEMO_SKIP_MFA and settings.DEBUG)  # the demo skip never counts with DEBUG off
            and not user.is_verified()  # type: ignore[attr-defined]  # added by SessionUserMiddleware
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
