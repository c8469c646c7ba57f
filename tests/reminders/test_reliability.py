"""Reminders are never lost or doubled: concurrent sweeps, a worker killed mid-sweep, Redis down.

These use the real services (PostgreSQL, Redis, a Celery worker process); CI provides them."""

import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import close_old_connections, connection
from django.db import connections as all_connections
from django.utils import timezone

from cases.models import RiskLevel
from dacrre.accounts.models import Role, Scope
from dacrre.celery import app
from dacrre.reminders.models import Reminder, ReminderKind
from dacrre.reminders.sweeps import KINDS, reminders_sweep
from dacrre.reminders.tasks import sweep_reminders
from tests.factories import CaseFactory, CaseVictimFactory, UserFactory
from visits.models import Visit

PROJECT_DIR = Path(__file__).resolve().parents[2]
TODAY = timezone.localdate()


def _due_cases(count: int) -> int:
    """Cases each owing a perpetrator visit and a victim visit: two reminders each."""
    for _ in range(count):
        case = CaseFactory(next_perpetrator_visit_due=TODAY - datetime.timedelta(days=1))
        CaseVictimFactory(case=case, next_visit_due=TODAY)
    return count * 2


def _worker_env(**extra: str) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **extra,
    }


def _start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed command
        [sys.executable, "-m", "celery", "-A", "dacrre", "worker", "-P", "solo", "-l", "warning"]
        + ["--without-mingle", "--without-gossip", "--without-heartbeat"],
        cwd=PROJECT_DIR,
        env=env,
    )


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return condition()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sweeps_running_at_the_same_time_never_duplicate() -> None:
    expected = _due_cases(30)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            barrier.wait()
            reminders_sweep()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()
            all_connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Reminder.objects.count() == expected
    assert Reminder.objects.values("kind", "case", "subject_key", "due_on").distinct().count() == expected


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sweep_is_replaced_and_every_reminder_exists_once() -> None:
    expected = _due_cases(20)
    app.control.purge()
    env = _worker_env(CELERY_VISIBILITY_TIMEOUT="3")
    # Hold the reminders table so that the worker's sweep blocks inside its first INSERT: it has
    # taken the task (not yet acknowledged: acks_late) and is mid-sweep when it is killed.
    blocker = connection.cursor()
    blocker.execute("BEGIN")
    blocker.execute("LOCK TABLE reminders_reminder IN EXCLUSIVE MODE")
    worker = _start_worker(env)
    try:
        sweep_reminders.delay()

        # A second connection is needed for the probe: the blocking one is inside its transaction.
        probe_connection = all_connections.create_connection("default")
        try:
            with probe_connection.cursor() as probe:

                def waiting() -> bool:
                    probe.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        " AND query LIKE 'INSERT INTO reminders_reminder%%'"
                    )
                    return probe.fetchone()[0] > 0

                assert _wait_for(waiting, 60), "the worker never reached the sweep"
        finally:
            probe_connection.close()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        if worker.poll() is None:
            worker.kill()
    assert Reminder.objects.count() == 0  # the killed sweep's transaction never committed

    # A new worker: the unacknowledged task is delivered again and the sweep completes.
    time.sleep(4)  # past the 3-second visibility timeout
    replacement = _start_worker(env)
    try:
        assert _wait_for(lambda: Reminder.objects.count() >= expected, 90)
        time.sleep(2)  # anything still running would show up as a duplicate now
    finally:
        replacement.terminate()
        replacement.wait(timeout=30)
    assert Reminder.objects.count() == expected
    assert Reminder.objects.values("kind", "case", "subject_key", "due_on").distinct().count() == expected


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.postgres
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs the redis-server program")
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_pages_work_a_visit_saves_and_the_next_sweep_catches_up(
    login, settings, monkeypatch, caplog
) -> None:
    port = _free_port()
    redis = subprocess.Popen(  # noqa: S603 - fixed command
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],  # noqa: S607
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    monkeypatch.setattr(app.conf, "broker_url", url)
    # The web process's broker is this Redis: drop the connections made to the usual one.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    officer = UserFactory(email="officer@example.org")
    UserFactory(area=officer.area, role=Role.SUPERVISOR, scope=Scope.AREA, email="sergeant@example.org")
    case = CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.HIGH)
    other = CaseFactory(area=officer.area, spoc=officer, next_perpetrator_visit_due=TODAY)
    try:
        assert _wait_for(
            lambda: (
                subprocess.run(  # noqa: S603
                    ["redis-cli", "-p", str(port), "ping"],  # noqa: S607
                    capture_output=True,
                    text=True,
                    check=False,  # noqa: S607
                ).stdout.strip()
                == "PONG"
            ),
            10,
        )
        client = login(officer)
    finally:
        redis.send_signal(signal.SIGKILL)  # Redis goes away while the officer is working
        redis.wait(timeout=10)

    assert client.get("/").status_code == 200
    assert client.get(f"/cases/{case.public_id}/").status_code == 200
    response = client.post(
        f"/cases/{case.public_id}/visits/new/",
        {
            "subject": "perpetrator",
            "occurred_on": TODAY.strftime("%d/%m/%Y"),
            "occurred_time": "00:05",
            "outcome": "safeguarding",
            "safeguarding_details": "Children at risk",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Visit.objects.filter(case=case).exists()
    assert Reminder.objects.filter(kind=ReminderKind.SAFEGUARDING_CONCERN, case=case).exists()
    assert "next sweep will catch up" in caplog.text
    assert mail.outbox == []  # the nudge was lost with Redis

    # Redis is back (here: the sweep runs as the beat would run it): everything missed is raised and sent.
    sweep_reminders.apply()
    assert Reminder.objects.filter(kind=ReminderKind.PERPETRATOR_VISIT_DUE, case=other).exists()
    assert any("sergeant@example.org" in m.to for m in mail.outbox)
    assert all(sweep.kind in ReminderKind for sweep in KINDS)
