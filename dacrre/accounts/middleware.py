"""Sign-in rules applied to every request: the 12-hour absolute session limit and the second factor."""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

LOGIN_AT_SESSION_KEY = "dacrre_login_at"
# Reachable before the second factor: signing in and out, enrolling, static files, health checks.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz")


class SessionLimitsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            login_at = request.session.get(LOGIN_AT_SESSION_KEY)
            if login_at is None or time.time() - login_at > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, "Your session has ended. Sign in again.")
                return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not (settings.DEMO_SKIP_MFA and settings.DEBUG)  # the demo skip never counts with DEBUG off
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
