"""Who is asking, in one query: the signed-in user with their agency (User.may_read reads it on every
request), whether the session's row is still live in the database, and whether the second-factor
device the session names is still this user's and confirmed.

Replaces Django's AuthenticationMiddleware (the user) and django-otp's OTPMiddleware (the device),
which with the agency cost three queries, with the same meaning: the session names the user, the
backend that signed them in and their password's hash (a changed password signs the session out);
`user.is_verified()` is true while the device that passed the second factor exists, belongs to the
user and is confirmed (a reset deletes the devices, so the next request is no longer verified), and
`user.otp_device` is that device, loaded only if something reads it. A session signed in by another
backend than ModelBackend is read the way Django and django-otp read it."""

import functools
from typing import Any

from asgiref.sync import sync_to_async
from django.apps import apps
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware, is_verified
from django_otp.models import Device

from .models import User


def _device(persistent_id: str) -> tuple[type[Device], int] | None:
    """The device model and primary key a session's device id names (as django-otp reads it)."""
    try:
        label, pk = OTPMiddleware._normalize_persistent_id(persistent_id).rsplit("/", 1)
        model = apps.get_model(label)
        return (model, int(pk)) if issubclass(model, Device) else None
    except (LookupError, ValueError):
        return None


def _anonymous() -> AnonymousUser:
    user = AnonymousUser()
    user.otp_device = None  # type: ignore[attr-defined]
    user.is_verified = functools.partial(is_verified, user)  # type: ignore[attr-defined]
    return user


def session_user(request: HttpRequest) -> Any:
    session = request.session
    try:
        user_id = User._meta.pk.to_python(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, ValidationError):
        return _anonymous()
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return _anonymous()
    backend = auth.load_backend(backend_path)
    if not isinstance(backend, ModelBackend) or not isinstance(session, DatabaseSessionStore):
        return OTPMiddleware(lambda r: None)._verify_user_sync(request, auth.get_user(request))

    users: QuerySet[User] = User.objects.select_related("agency").filter(pk=user_id).order_by()
    live = session.model.objects.filter(session_key=session.session_key, expire_date__gt=timezone.now())
    users = users.annotate(session_live=Exists(live))
    device = _device(session.get(DEVICE_ID_SESSION_KEY) or "")
    if device is not None:
        model, device_pk = device
        users = users.annotate(
            device_valid=Exists(model.objects.filter(pk=device_pk, user=OuterRef("pk"), confirmed=True))
        )
    user: Any = next(iter(users), None)
    if user is None:
        return _anonymous()
    if not user.session_live:
        # The session's row has gone or expired (the idle timeout) while the cache kept a copy.
        session.flush()
        return _anonymous()
    if not backend.user_can_authenticate(user) or not _session_hash_verified(session, user):
        return _anonymous()

    user.is_verified = functools.partial(is_verified, user)
    if device is not None and user.device_valid:
        model, device_pk = device
        user.otp_device = SimpleLazyObject(lambda: model.objects.get(pk=device_pk))
    else:
        user.otp_device = None
        session.pop(DEVICE_ID_SESSION_KEY, None)
    return user


def _session_hash_verified(session: Any, user: User) -> bool:
    """As django.contrib.auth.get_user: the session carries the hash of the user's password; a hash made
    with one of SECRET_KEY_FALLBACKS is renewed, any other signs the session out."""
    session_hash = session.get(HASH_SESSION_KEY)
    current = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, current):
        return True
    if session_hash and any(constant_time_compare(session_hash, h) for h in user.get_session_auth_fallback_hash()):
        session.cycle_key()
        session[HASH_SESSION_KEY] = current
        return True
    session.flush()
    return False


class SessionUserMiddleware(AuthenticationMiddleware):
    """In MIDDLEWARE instead of AuthenticationMiddleware and OTPMiddleware (a subclass, so the admin's
    check for AuthenticationMiddleware still holds)."""

    def process_request(self, request: HttpRequest) -> None:
        request.user = SimpleLazyObject(functools.partial(_cached_user, request))  # type: ignore[assignment]
        request.auser = functools.partial(sync_to_async(_cached_user), request)


def _cached_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = session_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]
