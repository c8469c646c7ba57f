"""The quick start's single worker (Procfile.dev) takes every queue on kombu's filesystem transport:
a task sent to each of `urgent`, `default` and `imports` runs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.platform.processes import Processes, new_prefix, process_env, wait_for, worker_ready
from tests.xdist_groups import real_processes

PROJECT_DIR = Path(__file__).resolve().parents[2]
TASKS = (
    "dacrre.reminders.tasks.send_high_risk_notifications",  # urgent
    "dacrre.reminders.tasks.sweep_reminders",  # default
    "scoring.tasks.refresh_all_scores",  # imports
)
SEND = f"""
import django
django.setup()
from dacrre.celery import app
app.loader.import_default_modules()
for name in {TASKS!r}:
    print(name, app.amqp.router.route({{}}, name)["queue"].name)
    app.tasks[name].delay()
"""


def test_the_filesystem_transport_keeps_everything_it_writes_in_var() -> None:
    """Messages and the exchange tables (kombu's control folder, by default ./control in whatever folder
    a process starts) go to var/celery/, never beside the code."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    code = "import json; from dacrre import settings; print(json.dumps(settings.CELERY_BROKER_TRANSPORT_OPTIONS))"
    result = subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "-c", code],
        cwd=PROJECT_DIR,
        env={**env, "CELERY_BROKER_URL": "filesystem://", "SECRET_KEY": "x" * 50},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    options = json.loads(result.stdout)
    folders = {name: Path(value) for name, value in options.items() if name.endswith("folder") or "folder_" in name}
    assert set(folders) == {"data_folder_in", "data_folder_out", "control_folder"}
    for name, folder in folders.items():
        assert folder.is_relative_to(PROJECT_DIR / "var" / "celery") and folder.is_dir(), (name, folder)


def _procfile_worker_options() -> list[str]:
    line = next(line for line in (PROJECT_DIR / "Procfile.dev").read_text().splitlines() if line.startswith("worker:"))
    options = line.split()
    return options[options.index("worker", 2) + 1 :]


@real_processes
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_quick_start_worker_takes_every_queue_on_the_filesystem_transport(tmp_path) -> None:
    queue_dir = tmp_path / "queue"
    queue_dir.mkdir()
    env = process_env(new_prefix(), CELERY_BROKER_URL="filesystem://", DACRRE_TEST_QUEUE_DIR=str(queue_dir))
    processes = Processes(tmp_path)
    try:
        worker = [sys.executable, "-m", "celery", "-A", "dacrre", "worker", *_procfile_worker_options()]
        log = processes.start("worker", worker, env)
        sent = processes.start("send", [sys.executable, "-c", SEND], env)
        assert wait_for(lambda: worker_ready(log) and log.read_text().count("succeeded in") == 3, 60), (
            processes.output()
        )
        routed = dict(line.split() for line in sent.read_text().splitlines() if line.startswith(TASKS))
        assert sorted(routed.values()) == ["default", "imports", "urgent"], sent.read_text()
        for name in TASKS:
            assert f"Task {name}[" in log.read_text(), name
        assert list(queue_dir.iterdir()) == []
    finally:
        processes.stop()
