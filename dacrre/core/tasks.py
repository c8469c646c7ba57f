"""Enqueueing background work safely.

Tasks are sent only after the surrounding transaction commits (a worker must never see a row that
was rolled back, or miss one not yet committed). If the broker is down the send is logged and
dropped: database rows are the source of truth and the periodic sweeps pick the work up later, so
the user's save still succeeds.
"""

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_after_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:  # noqa: BLE001 - any broker failure must not undo the user's committed work
            logger.exception("Could not enqueue %s; the next sweep will catch up.", task.name)

    transaction.on_commit(send)
