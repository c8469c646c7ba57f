"""Production configuration: check --deploy is clean, secrets are required, and the compose stack is complete."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "dacrre.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy_with_no_warnings() -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="dacrre.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off() -> None:
    result = _manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_the_load_benchmark_is_installed_only_when_asked_for() -> None:
    """Production settings leave the benchmark's app and commands out; DACRRE_LOADTEST=1 brings them in."""
    key = secrets.token_urlsafe(64)
    production = _manage("help", "--commands", SECRET_KEY=key, DACRRE_LOADTEST="0")
    assert production.returncode == 0, production.stderr
    assert "migrate" in production.stdout.split() and "loadtest_generate" not in production.stdout
    benchmark = _manage("help", "--commands", SECRET_KEY=key, DACRRE_LOADTEST="1")
    assert benchmark.returncode == 0, benchmark.stderr
    assert {"loadtest_generate", "loadtest_run"} <= set(benchmark.stdout.split())


def _compose() -> dict:
    return yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())


def test_compose_runs_every_service_with_a_health_check_and_a_restart_policy() -> None:
    services = _compose()["services"]
    assert set(services) == {
        *{"proxy", "migrate", "web", "worker", "worker-imports", "beat", "postgres", "redis"},
        *{"minio", "minio-setup", "clamav"},  # the document store, its bucket's set-up, the optional scanner
    }
    for name, service in services.items():
        if name in {"migrate", "minio-setup"}:  # one-shot: runs at every start and exits
            assert service["restart"] == "no"
            continue
        assert "healthcheck" in service, name
        assert service["restart"] == "unless-stopped", name  # the supervisor: restarted whenever it exits
    assert "gunicorn" in services["web"]["command"]
    assert "celery -A dacrre worker" in services["worker"]["command"]
    assert "celery -A dacrre beat" in services["beat"]["command"]
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]


def test_compose_migrates_as_the_superuser_and_runs_the_app_as_its_own_role() -> None:
    services = _compose()["services"]
    migrate = services["migrate"]
    assert "manage.py migrate" in migrate["command"] and "manage.py access_log_roles" in migrate["command"]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://dacrre:")  # POSTGRES_USER
    app_url = migrate["environment"]["APP_DATABASE_URL"]
    assert app_url.startswith("postgres://dacrre_app:")
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["DATABASE_URL"] == app_url, name
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "migrate" not in services[name]["command"], name


def test_the_worker_runs_without_gossip_and_mingle_everywhere_it_is_started() -> None:
    """The options the reliability test (tests/platform/test_worker_survives_redis_restart.py) runs
    the worker with, in compose and in the quick start."""
    procfile = (PROJECT_DIR / "Procfile.dev").read_text()
    worker_lines = [_compose()["services"]["worker"]["command"]] + [
        line for line in procfile.splitlines() if line.startswith("worker:")
    ]
    for line in worker_lines:
        assert "--without-gossip" in line and "--without-mingle" in line, line


def test_compose_sets_every_setting_production_needs_and_nothing_unknown() -> None:
    settings_source = (PROJECT_DIR / "dacrre" / "settings.py").read_text()
    read_by_settings = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', settings_source))
    for name in ("web", "worker", "beat"):
        environment = _compose()["services"][name]["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS"} <= set(environment), name
        assert set(environment) <= read_by_settings, set(environment) - read_by_settings
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["REDIS_URL"].startswith("redis://redis:")
