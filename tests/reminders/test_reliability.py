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
from django.db.models import Count
from django.utils import timezone

from cases.models import Case, CaseStatus, CaseVictim, RiskLevel
from dacrre.accounts.models import Role, Scope
from dacrre.celery import app
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.selectors import tasks_for, team_tasks_for
from reminders.sweeps import KINDS, LEAD_DAYS, reminders_sweep
from reminders.tasks import sweep_reminders
from tests.factories import CaseFactory, CaseVictimFactory, UserFactory
from tests.xdist_groups import real_processes
from visits.models import Visit, VisitOutcome
from visits.services import visit_log

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


def _start_worker(env: dict[str, str], *options: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - fixed command
        [sys.executable, "-m", "celery", "-A", "dacrre", "worker", "-P", "solo", "-l", "warning"]
        + ["--without-mingle", "--without-gossip", "--without-heartbeat", *options],
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


@real_processes
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_sweep_is_replaced_and_every_reminder_exists_once() -> None:
    expected = _due_cases(20)
    app.control.purge()
    env = _worker_env(CELERY_VISIBILITY_TIMEOUT="3")
    # Hold the reminders table so that the worker's sweep blocks inside its first write: it has
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
                        " AND (query LIKE 'INSERT INTO reminders_reminder%%'"
                        " OR query LIKE 'UPDATE reminders_reminder%%')"
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


def _visits_due_without_an_open_reminder(today: datetime.date) -> list[tuple[int, str, datetime.date | None]]:
    """Every visit due within the sweep's horizon with no open reminder for that date."""
    horizon = today + datetime.timedelta(days=LEAD_DAYS)
    open_keys = set(
        Reminder.objects.filter(status=ReminderStatus.OPEN).values_list("kind", "case_id", "subject_key", "due_on")
    )
    due = [
        (ReminderKind.PERPETRATOR_VISIT_DUE, case_id, "perpetrator", on)
        for case_id, on in Case.objects.exclude(status=CaseStatus.CLOSED)
        .filter(next_perpetrator_visit_due__lte=horizon)
        .values_list("pk", "next_perpetrator_visit_due")
    ] + [
        (ReminderKind.VICTIM_VISIT_DUE, case_id, f"victim:{victim_id}", on)
        for case_id, victim_id, on in CaseVictim.objects.exclude(case__status=CaseStatus.CLOSED)
        .filter(next_visit_due__lte=horizon)
        .values_list("case_id", "victim_id", "next_visit_due")
    ]
    return [
        (case_id, subject, on) for kind, case_id, subject, on in due if (kind, case_id, subject, on) not in open_keys
    ]


@real_processes
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_due_date_that_comes_round_again_is_raised_by_the_worker_and_none_is_ever_missing() -> None:  # noqa: C901
    """Issue 15, item 1, end to end: visits logged through the service (late records by a second
    officer among them), the sweep run by a real worker from the broker, as beat would run it."""
    import random
    import uuid

    # A queue of its own, so that another test's worker (tests run in parallel share the broker)
    # never takes this test's sweep, nor this worker another's.
    queue = f"reliability-{uuid.uuid4().hex}"
    officer = UserFactory()
    second = UserFactory(area=officer.area)
    sergeant = UserFactory(area=officer.area, role=Role.SUPERVISOR, scope=Scope.AREA)
    comes_back = [CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.MEDIUM) for _ in range(5)]
    issue = [CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.MEDIUM) for _ in range(5)]
    busy = [CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.MEDIUM) for _ in range(8)]
    victims = {case.pk: CaseVictimFactory(case=case).victim for case in busy}

    def ago(days: int) -> datetime.datetime:
        day = TODAY - datetime.timedelta(days=days)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 1)))

    def visit(case, days: int, *, by=officer, victim=None) -> None:
        visit_log(actor=by, case=case, victim=victim, occurred_at=ago(days), outcome=VisitOutcome.SEEN)

    def sweep_by_worker() -> None:
        # Done when a sentinel victim visit, due today, has its reminder: both visit kinds are then
        # committed (each kind commits on its own, in the order of KINDS).
        sentinel = CaseVictimFactory(case=CaseFactory(area=officer.area, spoc=officer), next_visit_due=TODAY)
        sweep_reminders.apply_async(queue=queue)
        assert _wait_for(
            lambda: Reminder.objects.filter(
                case_id=sentinel.case_id, kind=ReminderKind.VICTIM_VISIT_DUE, status=ReminderStatus.OPEN
            ).exists(),
            60,
        ), "the worker did not sweep"

    worker = _start_worker(_worker_env(), "-Q", queue)
    try:
        # Raised, done, and due again: 40 days ago (due 12 days ago), 30 days ago (due 2 days ago),
        # then at high risk a late record of a visit 26 days ago, the latest: due 12 days ago again.
        for case in comes_back:
            visit(case, 40)
        sweep_by_worker()
        for case in comes_back:
            visit(case, 30)
            case.risk_level = RiskLevel.HIGH
            case.save(update_fields=["risk_level"])
        sweep_by_worker()
        for case in comes_back:
            visit(case, 26, by=second)
        # The issue's own steps: 26 days ago (due in 2 days), today (due in 4 weeks), 26 days ago again.
        for case in issue:
            visit(case, 26)
        sweep_by_worker()
        for case in issue:
            visit(case, 0)
            visit(case, 26, by=second)
        sweep_by_worker()
        assert _visits_due_without_an_open_reminder(TODAY) == []
        for case in comes_back:
            case.refresh_from_db()
            assert case.next_perpetrator_visit_due == TODAY - datetime.timedelta(days=12)
            assert Reminder.objects.filter(case=case, due_on=case.next_perpetrator_visit_due).count() == 2
        for case in issue:
            case.refresh_from_db()
            assert case.next_perpetrator_visit_due == TODAY + datetime.timedelta(days=28)

        # Normal use: two officers log visits in any order, some late, the sweep running between.
        rng = random.Random(15)
        for step in range(60):
            case = rng.choice(busy)
            subject = rng.choice([None, victims[case.pk]])
            visit(case, rng.randrange(0, 45), by=rng.choice([officer, second]), victim=subject)
            if step % 10 == 9:
                sweep_by_worker()
        sweep_by_worker()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        # The broker keeps a binding per queue: leave none behind.
        with app.connection_for_write() as broker:
            broker.default_channel.client.delete(f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")

    assert _visits_due_without_an_open_reminder(TODAY) == []
    assert not (
        Reminder.objects.filter(status=ReminderStatus.OPEN)
        .values("kind", "case", "subject_key", "due_on")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .exists()
    )
    # What came round again is in My tasks and, 12 days late, on the supervisor's escalated list.
    again = set(Reminder.objects.filter(case__in=comes_back, status=ReminderStatus.OPEN).values_list("pk", flat=True))
    assert len(again) == len(comes_back)
    assert again <= set(tasks_for(officer).values_list("pk", flat=True))
    assert again <= set(team_tasks_for(sergeant, escalated_only=True).values_list("pk", flat=True))
