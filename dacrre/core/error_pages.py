"""The page a refused request (403) answers with: why, and the way back."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

GENERIC_REASON = "Your role does not give you access to this."


def back_url_from_referer(request: HttpRequest) -> str:
    """The page the user came from, when it is one of this site's (never another site's address)."""
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host(), *settings.ALLOWED_HOSTS}, require_https=request.is_secure()
    ):
        return referer
    return ""


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403: the reason the view gave (PermissionDenied("...")), or a general one, a link back
    to where the user came from and to their start page. Logged once, by Django, as a warning without
    a traceback (dacrre.core.log_filters)."""
    reason = str(exception or "").strip() or GENERIC_REASON
    back = back_url_from_referer(request)
    if back and back.split("#")[0] == request.build_absolute_uri():
        back = ""  # the refused page itself
    context = {"reason": reason, "back_url": back, "home_url": reverse("cases:home")}
    return HttpResponseForbidden(loader.render_to_string("403.html", context, request=request))
