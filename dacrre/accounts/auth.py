"""Who may stay signed in: an inactive user, or a user of an inactive agency, reads nothing from their
next request. The selectors refuse them (User.may_read); here sign-in ends for them: API tokens are
refused with 401 and a signed-in session is ended with a message."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from .models import User

ACCESS_WITHDRAWN = "Your agency's access to dacrre has been withdrawn. Contact your administrator."


class ActiveAccountTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, refusing (401) tokens of inactive users and of inactive agencies."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        try:
            token = Token.objects.select_related("user__agency").get(key=key)
        except Token.DoesNotExist as exc:
            raise exceptions.AuthenticationFailed("Invalid token.") from exc
        user: User = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        if not user.may_read:
            raise exceptions.AuthenticationFailed(ACCESS_WITHDRAWN)
        return user, token


def session_end_if_withdrawn(request: HttpRequest) -> HttpResponse | None:
    """For a signed-in user whose agency has been deactivated: sign them out, say why, and send them
    to the sign-in page. None for everyone else."""
    user = request.user
    if not user.is_authenticated or user.may_read:
        return None
    request.dacrre_signed_out = ("other", None)  # type: ignore[attr-defined]  # the message says why
    logout(request)
    messages.error(request, ACCESS_WITHDRAWN)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": ACCESS_WITHDRAWN}, status=401)
        response["WWW-Authenticate"] = "Token"
        return response
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
