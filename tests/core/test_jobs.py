"""The Celery wiring: schedule, task registration, enqueue after commit, and a real worker on Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from dacrre.celery import app
from dacrre.core.tasks import enqueue_after_commit
from reminders.models import Reminder
from reminders.tasks import sweep_reminders
from tests.factories import CaseFactory
from tests.xdist_groups import real_processes

PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_every_scheduled_task_is_registered() -> None:
    app.loader.import_default_modules()
    assert app.conf.beat_schedule
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


@pytest.mark.django_db
def test_tasks_are_sent_only_when_the_transaction_commits(monkeypatch, django_capture_on_commit_callbacks) -> None:
    sent: list[tuple] = []
    monkeypatch.setattr(sweep_reminders, "apply_async", lambda **kwargs: sent.append(kwargs))

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_after_commit(sweep_reminders)
        assert sent == []
    assert len(sent) == 1

    sent.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                enqueue_after_commit(sweep_reminders)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert sent == []


@pytest.mark.django_db
def test_a_broker_failure_does_not_break_the_save(monkeypatch, django_capture_on_commit_callbacks, caplog) -> None:
    def broker_down(**kwargs):
        raise OperationalError("Error 111 connecting to redis. Connection refused.")

    monkeypatch.setattr(sweep_reminders, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        case = CaseFactory()
        enqueue_after_commit(sweep_reminders)
    assert case.pk is not None
    assert "next sweep will catch up" in caplog.text


@real_processes
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_runs_the_periodic_sweep() -> None:
    CaseFactory(next_perpetrator_visit_due=timezone.localdate())
    app.control.purge()
    sweep_reminders.delay()

    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    worker = subprocess.Popen(  # noqa: S603 - fixed command
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dacrre",
            "worker",
            "-P",
            "solo",
            "-l",
            "warning",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
        ],
        cwd=PROJECT_DIR,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not Reminder.objects.exists():
            time.sleep(0.5)
        assert Reminder.objects.count() == 1
    finally:
        worker.terminate()
        worker.wait(timeout=30)
