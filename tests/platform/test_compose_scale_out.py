"""docker-compose.yml can run several web and worker containers at once behind its proxy
(`docker compose up --scale web=3 --scale worker=3`). There is no Docker engine here: the file's
structure is checked, and tests/platform/test_scale_out.py runs the same processes for real."""

import re
import shlex
from pathlib import Path

import yaml
from django.conf import settings

from incidents.forms import MAX_UPLOAD_BYTES

PROJECT_DIR = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
NGINX = (PROJECT_DIR / "deploy" / "nginx.conf").read_text()
LONG_RUNNING = {"proxy", "web", "worker", "worker-imports", "beat", "postgres", "redis", "minio", "clamav"}
WORKERS = ("worker", "worker-imports")


def _nginx(directive: str) -> list[str]:
    """The arguments of every `directive ...;` in the proxy's configuration (comments left out)."""
    text = re.sub(r"#[^\n]*", "", NGINX)
    return [match.strip() for match in re.findall(rf"(?:^|[;{{}}\s]){directive}\s+([^;{{]*);", text)]


def _queues(service: str) -> set[str]:
    options = shlex.split(SERVICES[service]["command"])
    return set(options[options.index("-Q") + 1].split(","))


def test_only_the_proxy_publishes_a_port() -> None:
    assert {name for name, service in SERVICES.items() if "ports" in service} == {"proxy"}
    assert [port.split(":")[-1] for port in SERVICES["proxy"]["ports"]] == ["80", "443"]
    assert {"80 default_server", "443 ssl default_server"} == set(_nginx("listen"))


def test_web_and_workers_can_be_scaled() -> None:
    # A container_name is one container: `--scale` refuses a service that has one.
    assert not [name for name, service in SERVICES.items() if "container_name" in service]
    assert SERVICES["web"]["expose"] == ["8000"]
    assert "--bind 0.0.0.0:8000" in SERVICES["web"]["command"]
    assert "volumes" not in SERVICES["web"]
    for name in ("web", *WORKERS):
        assert "ports" not in SERVICES[name], name
    # A worker's only disk is the archive of the access log: one named volume that every worker
    # container shares (the archive job may run on any of them), holding ACCESS_LOG_ARCHIVE_DIR.
    archive_dir = COMPOSE["x-app"]["environment"]["ACCESS_LOG_ARCHIVE_DIR"]
    for name in WORKERS:
        ((volume, mount),) = [entry.split(":") for entry in SERVICES[name]["volumes"]]
        assert volume in COMPOSE["volumes"] and archive_dir.startswith(mount + "/"), name
    # Exactly one beat, said where an operator looks.
    assert "Exactly one: never --scale beat" in (PROJECT_DIR / "docker-compose.yml").read_text()


def test_every_long_running_service_has_a_health_check_and_restarts() -> None:
    assert set(SERVICES) == LONG_RUNNING | {"migrate", "minio-setup"}
    for name in LONG_RUNNING:
        assert "healthcheck" in SERVICES[name] and SERVICES[name]["healthcheck"]["test"], name
        assert SERVICES[name]["restart"] == "unless-stopped", name
    assert SERVICES["migrate"]["restart"] == "no"
    assert SERVICES["minio-setup"]["restart"] == "no"
    # The proxy's check is a path the proxy answers itself.
    assert "http://127.0.0.1/proxy-health" in SERVICES["proxy"]["healthcheck"]["test"]
    assert "location = /proxy-health" in NGINX
    assert SERVICES["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_proxy_balances_across_the_web_service_and_forwards_what_the_settings_expect() -> None:
    volumes = SERVICES["proxy"]["volumes"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in volumes
    assert any(volume.endswith(":/etc/nginx/certs:ro") for volume in volumes)
    # The upstream is the compose service by name, looked up again as replicas come and go.
    assert _nginx("server") == ["web:8000 resolve"]
    assert "zone dacrre_web" in NGINX and _nginx("resolver") == ["127.0.0.11 valid=10s ipv6=off"]
    assert _nginx("proxy_pass") == ["http://dacrre_web"]
    # One proxy appends the client's address, and says the scheme it was reached on: what the
    # application is told to expect in compose.
    headers = set(_nginx("proxy_set_header"))
    assert {"X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme", "Host $http_host"} <= headers
    environment = COMPOSE["x-app"]["environment"]
    assert environment["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"
    assert environment["SECURE_PROXY_SSL_HEADER_ENABLED"] == "${SECURE_PROXY_SSL_HEADER_ENABLED:-true}"
    # TLS at the proxy, plain http only redirected.
    assert _nginx("ssl_certificate") == ["/etc/nginx/certs/fullchain.pem"]
    assert "return 301 https://$host$request_uri" in NGINX
    # Room for the largest incident import the form accepts.
    (body_limit,) = _nginx("client_max_body_size")
    assert int(body_limit.removesuffix("m")) * 1024 * 1024 > MAX_UPLOAD_BYTES


def test_the_queues_are_split_so_no_import_can_hold_up_an_urgent_email() -> None:
    routes = settings.CELERY_TASK_ROUTES
    assert routes["dacrre.reminders.tasks.send_high_risk_notifications"] == {"queue": "urgent"}
    assert routes["incidents.tasks.run_incident_import"] == {"queue": "imports"}
    assert routes["scoring.tasks.refresh_all_scores"] == {"queue": "imports"}
    defined = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert defined == {"urgent", "default", "imports"} and settings.CELERY_TASK_DEFAULT_QUEUE == "default"
    assert {route["queue"] for route in routes.values()} <= defined
    assert _queues("worker") == {"urgent", "default"}
    assert _queues("worker-imports") == {"imports"}
    # Every queue has a worker in compose; the quick start's single worker takes all of them.
    assert set().union(*map(_queues, WORKERS)) == defined
    procfile_worker = next(
        line for line in (PROJECT_DIR / "Procfile.dev").read_text().splitlines() if line.startswith("worker:")
    )
    options = shlex.split(procfile_worker)
    assert set(options[options.index("-Q") + 1].split(",")) == defined


def test_documents_go_to_a_private_bucket_that_only_the_app_reaches() -> None:
    """MinIO is started like the other services (a health check, a restart policy, a volume), is
    never published, and the app uses its own key, allowed the documents bucket only."""
    env = COMPOSE["x-app"]["environment"]
    assert env["DOCUMENT_STORAGE"] == "s3" and env["DOCUMENTS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert env["DOCUMENTS_S3_ACCESS_KEY"] == "dacrre-app"
    assert "ports" not in SERVICES["minio"]
    assert SERVICES["minio"]["volumes"] == ["minio-data:/data"] and "minio-data" in COMPOSE["volumes"]
    setup = " ".join(SERVICES["minio-setup"]["entrypoint"])
    assert "--with-versioning store/dacrre-documents" in setup
    assert "mc anonymous set none store/dacrre-documents" in setup
    assert '"Resource":["arn:aws:s3:::dacrre-documents","arn:aws:s3:::dacrre-documents/*"]' in setup
    assert COMPOSE["x-app"]["depends_on"]["minio-setup"]["condition"] == "service_completed_successfully"
    assert SERVICES["clamav"]["profiles"] == ["clamav"]  # optional: documents are then "not scanned"
