"""What happens around the end of a session: why the user was signed out, and a form's input that
arrived too late.

A signed cookie (`dacrre_signin`, lasting until the browser closes, like the session) remembers the
state of the last sign-in on this browser:

- `active:<user id>`: signed in. Seen again without a session, the session ended by the idle
  timeout (SESSION_COOKIE_AGE);
- `ended:<user id>`: the absolute limit (SESSION_ABSOLUTE_SECONDS) ended it;
- `signed_out`: the user signed out;
- `other`: signed out for another reason already told (e.g. too many wrong codes).

A form posted after the idle timeout or the absolute limit is kept server-side (KeptSubmission) for
the user the cookie names; the signature means nobody can name another user. Once that user signs
in again, the form's page shows the input filled in with a message to check and submit it."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import KeptSubmission, User

COOKIE = "dacrre_signin"
_SALT = "dacrre.accounts.signin-state"
KEPT_PATHS_SESSION_KEY = "dacrre_kept_paths"
# Where a late POST is not kept: sign-in itself, the API (no browser session), the admin, assets.
_NOT_KEPT_PREFIXES = ("/accounts/", "/api/", "/admin/", "/static/", "/healthz", "/readyz")
_NOT_KEPT_FIELDS = {"csrfmiddlewaretoken"}

REASONS = {
    "idle": "You were signed out because you had not done anything for {minutes} minutes.",
    "ended": "Your session has ended because {hours} hours have passed since you signed in. Sign in again.",
    "signed_out": "You have signed out.",
}
# The warning dialog opens this long before the session would end (GOV.UK's pattern: 2 minutes).
WARNING_SECONDS = 120


def session_timing(request: HttpRequest) -> dict[str, int]:
    """Seconds until the session ends (idle timeout or absolute limit, whichever comes first), for
    the timeout warning. The idle timeout counts from its last renewal (at most SESSION_RENEW_SECONDS
    before this request, see sessions.py); the absolute limit does not move."""
    import time

    from .middleware import LOGIN_AT_SESSION_KEY
    from .sessions import session_renewed_at

    now = time.time()
    login_at = request.session.get(LOGIN_AT_SESSION_KEY) or now
    absolute = max(0, int(settings.SESSION_ABSOLUTE_SECONDS - (now - login_at)))
    idle = max(0, round(settings.SESSION_COOKIE_AGE - (now - session_renewed_at(request.session))))
    remaining = min(idle, absolute)
    return {
        "remaining_seconds": remaining,
        "warning_seconds": min(WARNING_SECONDS, remaining),
        # "Stay signed in" can push the idle timeout back, never the absolute limit.
        "renewable": int(absolute > settings.SESSION_COOKIE_AGE),
        "absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
    }


def state_read(request: HttpRequest) -> tuple[str, int | None]:
    """The state the cookie holds and the user it names, or ("", None) if none or forged."""
    try:
        value = request.get_signed_cookie(COOKIE, default="", salt=_SALT) or ""
    except (KeyError, signing.BadSignature):
        return "", None
    state, _, user_id = value.partition(":")
    return state, int(user_id) if user_id.isdigit() else None


def state_write(response: HttpResponse, state: str, user_id: int | None = None) -> None:
    value = f"{state}:{user_id}" if user_id is not None else state
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=_SALT,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def signed_out_message(request: HttpRequest) -> str:
    """Why the user on the sign-in page was signed out, or "" if we have nothing to say."""
    state, user_id = state_read(request)
    if state in {"active", "kept"}:
        state = "idle"  # signed in, and the session has gone without a sign-out: the idle timeout
    template = REASONS.get(state, "")
    message = template.format(
        minutes=settings.SESSION_COOKIE_AGE // 60, hours=settings.SESSION_ABSOLUTE_SECONDS // 3600
    )
    if message and user_id is not None and KeptSubmission.objects.filter(user_id=user_id).exists():
        message += " What you typed has been kept: sign in again to check it and submit it."
    return message


def is_keepable(request: HttpRequest) -> bool:
    return request.method == "POST" and not request.path.startswith(_NOT_KEPT_PREFIXES)


def submission_keep(*, request: HttpRequest, user_id: int) -> str:
    """Keep a late POST's input for the user; answer the path of the page the form is on."""
    action_path = request.path
    referer = request.META.get("HTTP_REFERER", "")
    form_path = action_path
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        form_path = urlsplit(referer).path or action_path
    fields = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name not in _NOT_KEPT_FIELDS and "password" not in name.lower()
    }
    KeptSubmission.objects.filter(user_id=user_id, form_path=form_path).delete()
    KeptSubmission.objects.create(user_id=user_id, form_path=form_path, action_path=action_path, fields=fields)
    return form_path


def kept_paths_for(user: User) -> list[str]:
    """At sign-in: drop what is too old, and the form pages this user has input waiting on."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    KeptSubmission.objects.filter(created_at__lt=cutoff).delete()
    return list(KeptSubmission.objects.filter(user=user).values_list("form_path", flat=True).distinct())


def submission_take(*, user: User, form_path: str) -> dict[str, object] | None:
    """The user's kept input for this page, removed as it is handed over (shown once)."""
    kept = KeptSubmission.objects.filter(user=user, form_path=form_path).order_by("-created_at").first()
    if kept is None:
        return None
    KeptSubmission.objects.filter(user=user, form_path=form_path).delete()
    return {"action": kept.action_path, "fields": kept.fields}
