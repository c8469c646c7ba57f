"""The second step of signing in: enrol an authenticator app once, then a code at every sign-in."""

from io import BytesIO

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from dacrre.core.exceptions import ApplicationError
from dacrre.core.http import AuthenticatedHttpRequest

from .forms import EnrolmentForm, LoginForm, SecondFactorForm
from .models import User
from .services import (
    second_factor_check,
    second_factor_confirm,
    second_factor_enrolment_device,
    user_has_second_factor,
)
from .session_expiry import session_timing, signed_out_message
from .sessions import session_renew
from .signals import second_factor_accepted, second_factor_refused

MAX_SECOND_FACTOR_FAILURES = 5
_FAILURES_KEY = "dacrre_second_factor_failures"
_RECOVERY_CODES_KEY = "dacrre_recovery_codes"


def _next_url(request: AuthenticatedHttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()) else "/"


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    # Drop the XML declaration so the SVG can sit inline in the page (no data: URI, no script).
    return buffer.getvalue().decode().split("?>", 1)[-1]


@login_required
def second_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    if not user_has_second_factor(user):
        return _enrol(request)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_check(user=user, token=form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            # A new session key once both factors are in: a key seen before this point (e.g. planted
            # or read while only the password was in) opens nothing.
            request.session.cycle_key()
            request.session.pop(_FAILURES_KEY, None)
            second_factor_accepted.send(sender=User, user=user, request=request, device_name=device.name)
            return redirect(_next_url(request))
        failures = request.session.get(_FAILURES_KEY, 0) + 1
        request.session[_FAILURES_KEY] = failures
        second_factor_refused.send(sender=User, user=user, request=request, failures=failures)
        if failures >= MAX_SECOND_FACTOR_FAILURES:
            request.dacrre_signed_out = ("other", None)  # type: ignore[attr-defined]  # the message says why
            logout(request)
            messages.error(request, "Too many wrong codes. Sign in again.")
            return redirect("accounts:login")
        form.add_error("token", "The code is not correct or has expired. Enter the latest code shown in your app")
    return render(request, "accounts/second_factor.html", {"form": form, "next": _next_url(request)})


def _enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    device = second_factor_enrolment_device(user=request.user)
    form = EnrolmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = second_factor_confirm(user=request.user, device=device, token=form.cleaned_data["token"])
        except ApplicationError as exc:
            form.add_error("token", exc.message)
        else:
            django_otp.login(request, device)
            request.session.cycle_key()
            request.session[_RECOVERY_CODES_KEY] = codes
            return redirect(f"/accounts/recovery-codes/?next={_next_url(request)}")
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - SVG generated here from our own data
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "next": _next_url(request),
        },
    )


@login_required
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Shown once, straight after enrolment."""
    codes = request.session.pop(_RECOVERY_CODES_KEY, None)
    if not codes:
        return redirect(_next_url(request))
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


class SignInView(LoginView):
    """The sign-in page, saying why the user was signed out (idle timeout, absolute limit, sign-out)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["signed_out_message"] = signed_out_message(self.request)
        return context


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """ "Stay signed in" in the timeout warning: this request renews the idle timeout (whenever its last
    renewal was); the answer says how long the session now has."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "You have been signed out."}, status=401)
    session_renew(request.session)
    return JsonResponse(session_timing(request))
