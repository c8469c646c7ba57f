"""The Celery worker survives Redis going away while it runs a task: killed and restarted mid-task,
the worker is still alive afterwards and the task's work is done. (kombu's Redis transport used to
end the worker with `Unrecoverable error: AttributeError("'NoneType' object has no attribute
'hostname'")`.) Real PostgreSQL, a private redis-server and a real worker process."""

import contextlib
import datetime
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.db import connections as all_connections
from django.utils import timezone

from dacrre.celery import app
from reminders.models import Reminder
from reminders.tasks import sweep_reminders
from tests.factories import CaseFactory
from tests.platform.redis_server import PrivateRedis, needs_redis_server, wait_for
from tests.xdist_groups import real_processes

PROJECT_DIR = Path(__file__).resolve().parents[2]
# The worker's options exactly as docker-compose.yml starts it (prefork pool, no gossip or mingle).
WORKER_OPTIONS = shlex.split(
    yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())["services"]["worker"]["command"]
)[4:]


def _worker(redis_url: str, log: Path) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "CELERY_VISIBILITY_TIMEOUT": "5",
    }
    return subprocess.Popen(  # noqa: S603 - fixed command
        [sys.executable, "-m", "celery", "-A", "dacrre", "worker", *WORKER_OPTIONS],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def _sweep_is_blocked(probe) -> bool:
    probe.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND query LIKE 'INSERT INTO reminders_reminder%%'"
    )
    return probe.fetchone()[0] > 0


@real_processes
@pytest.mark.postgres
@needs_redis_server
@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_redis_restarting_mid_task_and_the_work_is_done(tmp_path, monkeypatch) -> None:
    for _ in range(5):
        CaseFactory(next_perpetrator_visit_due=timezone.localdate() - datetime.timedelta(days=1))
    redis = PrivateRedis(tmp_path).start()
    monkeypatch.setattr(app.conf, "broker_url", redis.url)
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    log = tmp_path / "worker.log"
    # The sweep blocks inside its first INSERT while this connection holds the table: the worker
    # is mid-task (taken, not yet acknowledged) when Redis goes away.
    blocker = connection.cursor()
    blocker.execute("BEGIN")
    blocker.execute("LOCK TABLE reminders_reminder IN EXCLUSIVE MODE")
    worker = _worker(redis.url, log)
    probe_connection = all_connections.create_connection("default")
    try:
        assert wait_for(lambda: "ready." in log.read_text(), 60), log.read_text()
        sweep_reminders.delay()
        with probe_connection.cursor() as probe:
            assert wait_for(lambda: _sweep_is_blocked(probe), 60), log.read_text()
        # Redis restarts while the task runs, and the task finishes just after: the timing that
        # ended the worker every time with kombu's own Redis transport.
        redis.kill()
        time.sleep(0.2)
        redis.start()  # same port: Redis is back
        time.sleep(0.2)
        blocker.execute("ROLLBACK")  # the task goes on and finishes
        assert wait_for(lambda: Reminder.objects.count() >= 5, 60), log.read_text()
        time.sleep(8)  # the worker reconnects (or would have exited by now); a lost ack is redelivered
        assert worker.poll() is None, "the worker exited:\n" + log.read_text()[-4000:]
        assert "Unrecoverable error" not in log.read_text()
        # ... and it still takes work: a second sweep runs on the reconnected worker.
        before = log.read_text().count("succeeded in")
        sweep_reminders.delay()
        assert wait_for(lambda: log.read_text().count("succeeded in") > before, 60), log.read_text()[-4000:]
        assert Reminder.objects.count() == 5  # each due visit once, however often the sweep ran
    finally:
        probe_connection.close()
        if not blocker.closed:
            with contextlib.suppress(Exception):  # already rolled back
                blocker.execute("ROLLBACK")
            blocker.close()
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        redis.kill()
