"""Settings for the processes the scale-out tests start (gunicorn, Celery workers).

The test settings with two changes: the shared Redis cache comes back (tests.settings gives each
process a memory cache of its own: exactly the per-process state these tests must show the service
does without), and every Redis key and Celery queue is under a prefix of the test's own
(`DACRRE_TEST_KEY_PREFIX`), so that its workers never take another test's tasks. With a filesystem
broker (the quick start), `DACRRE_TEST_QUEUE_DIR` is the test's own queue folder instead of var/,
with its control folder (the exchange tables) beside it."""

import os
from pathlib import Path

from dacrre import settings as service_settings
from tests.settings import *  # noqa: F403

_prefix = os.environ.get("DACRRE_TEST_KEY_PREFIX", "")
if REDIS_URL:  # noqa: F405
    CACHES = {"default": {**service_settings.CACHES["default"], "KEY_PREFIX": _prefix}}
if CELERY_BROKER_URL.startswith("redis"):  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "global_keyprefix": _prefix}  # noqa: F405
_queue_dir = os.environ.get("DACRRE_TEST_QUEUE_DIR")
if _queue_dir and CELERY_BROKER_URL.startswith("filesystem"):  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "data_folder_in": _queue_dir,
        "data_folder_out": _queue_dir,
        "control_folder": str(Path(_queue_dir).with_name("control")),
    }  # noqa: F405
