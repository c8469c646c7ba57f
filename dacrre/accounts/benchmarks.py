"""What the benchmark and dataset commands share: they write large datasets, so they refuse to run
without an explicit confirmation, and those written in PostgreSQL's SQL refuse other databases; and
they measure pages as a signed-in user, without typing a password and a code."""

import time
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import CommandError, CommandParser
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from dacrre.accounts.middleware import LOGIN_AT_SESSION_KEY
from dacrre.accounts.models import User

WRITE_CONFIRMATION = "--yes-write-to-this-database"


def add_write_confirmation(parser: CommandParser) -> None:
    parser.add_argument(WRITE_CONFIRMATION, action="store_true", help="Required: the data is written to DATABASE_URL.")


def refuse_unless_confirmed(options: dict[str, Any], *, needs_postgresql: bool = True) -> None:
    if needs_postgresql and connection.vendor != "postgresql":
        raise CommandError("This command writes its data with PostgreSQL's SQL: set DATABASE_URL to PostgreSQL.")
    if not options["yes_write_to_this_database"]:
        raise CommandError(f"This writes a large dataset. Use a throwaway database and pass {WRITE_CONFIRMATION}.")


def signed_in_session(user: User) -> str:
    """A session as the sign-in view leaves it after both factors; returns its key."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[LOGIN_AT_SESSION_KEY] = time.time()
    store.create()
    return str(store.session_key)
