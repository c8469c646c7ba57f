"""Test settings: the real settings, with only what a test run must change."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-" + "x" * 50)

from dacrre import settings as _settings  # noqa: E402
from dacrre.settings import *  # noqa: E402,F403

# The load benchmark's commands are tested (tests/loadtest) whether or not DACRRE_LOADTEST is set.
if "loadtest" not in _settings.INSTALLED_APPS:
    INSTALLED_APPS = [*_settings.INSTALLED_APPS, "loadtest"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; real hashing is tested by Django
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
SECURE_SSL_REDIRECT = False  # the test client speaks plain http
# Each test starts with an empty cache of its own (rate-limit counters, import progress); the
# Redis cache is exercised where it matters (tests/reminders/test_reliability.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
