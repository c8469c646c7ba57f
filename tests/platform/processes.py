"""Real processes for the scale-out tests: gunicorn web processes and Celery workers started as
docker-compose.yml starts them, on the test's database, and a small round-robin proxy in front.

The proxy stands in for nginx (deploy/nginx.conf), which this machine may not have: it sends each
request to the next web process in turn, appends the client's address to X-Forwarded-For and says
the request came over https (X-Forwarded-Proto), as nginx does; it is only there to show that the
application behaves with one user's requests spread across processes."""

import http.client
import os
import shlex
import subprocess
import sys
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import redis
import yaml
from django.db import connection

from dacrre.celery import app
from tests.platform.redis_server import free_port, wait_for

PROJECT_DIR = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((PROJECT_DIR / "docker-compose.yml").read_text())
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"}


def compose_default(name: str) -> str:
    """The value compose gives an application variable when the operator sets none: `${NAME:-value}`."""
    value = COMPOSE["x-app"]["environment"][name]
    return value.split(":-", 1)[1].rstrip("}") if value.startswith("${") else value


def worker_options(service: str) -> list[str]:
    """The worker's options exactly as compose starts that service (after `celery -A dacrre worker`)."""
    return shlex.split(COMPOSE["services"][service]["command"])[4:]


def process_env(prefix: str, **extra: str) -> dict[str, str]:
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.platform.process_settings",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DACRRE_TEST_KEY_PREFIX": prefix,
        **extra,
    }


def use_prefixed_broker(monkeypatch, prefix: str) -> None:
    """This test process sends tasks under the same prefix as the workers it started."""
    options = {**app.conf.broker_transport_options, "global_keyprefix": prefix}
    monkeypatch.setattr(app.conf, "broker_url", os.environ["REDIS_URL"])
    monkeypatch.setitem(app.conf, "broker_transport_options", options)
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)


def new_prefix() -> str:
    return f"dacrre-test-{uuid.uuid4().hex[:12]}:"


@dataclass
class Processes:
    logs: Path
    started: list[tuple[subprocess.Popen, Path]] = field(default_factory=list)
    prefixes: set[str] = field(default_factory=set)

    def start(self, name: str, command: list[str], env: dict[str, str]) -> Path:
        self.prefixes.add(env["DACRRE_TEST_KEY_PREFIX"])
        log = self.logs / f"{name}.log"
        process = subprocess.Popen(  # noqa: S603 - fixed commands
            command, cwd=PROJECT_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
        )
        self.started.append((process, log))
        return log

    def worker(self, service: str, env: dict[str, str]) -> Path:
        command = [sys.executable, "-m", "celery", "-A", "dacrre", "worker", *worker_options(service)]
        return self.start(service, [*command, "-n", f"{service}@%h"], env)

    def gunicorn(self, port: int, env: dict[str, str]) -> Path:
        command = [sys.executable, "-m", "gunicorn", "dacrre.wsgi:application", "--bind", f"127.0.0.1:{port}"]
        return self.start(f"web-{port}", [*command, "--workers", "1", "--access-logfile", "-"], env)

    def all_alive(self) -> bool:
        return all(process.poll() is None for process, _ in self.started)

    def output(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for _, log in self.started)

    def stop(self) -> None:
        for process, _ in self.started:
            process.terminate()
        for process, _ in self.started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        # What the processes left in Redis under their prefix: queue bindings, cache entries.
        if os.environ.get("REDIS_URL"):
            client = redis.Redis.from_url(os.environ["REDIS_URL"])
            for prefix in self.prefixes:
                keys = list(client.scan_iter(match=f"{prefix}*"))
                if keys:
                    client.delete(*keys)
            client.close()


def worker_ready(log: Path) -> bool:
    return "ready." in log.read_text()


def web_healthy(port: int, env: dict[str, str]) -> bool:
    """Compose's health check of a web container, run against the web process on `port`."""
    test = COMPOSE["services"]["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"], test
    code = test[3].replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=30)  # noqa: S603
    return result.returncode == 0


class RoundRobinProxy:
    """Each request to the next backend in turn. `client_address` is the address the proxy says
    it saw the client at (appended to X-Forwarded-For, as nginx appends $remote_addr)."""

    def __init__(self, backends: list[int], client_address: str) -> None:
        self.backends = backends
        self.served: list[tuple[str, str, int]] = []  # (method, path, backend port)
        self._next = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                with proxy._lock:
                    port = proxy.backends[proxy._next % len(proxy.backends)]
                    proxy._next += 1
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                forwarded = self.headers.get("X-Forwarded-For")
                headers["X-Forwarded-For"] = f"{forwarded}, {client_address}" if forwarded else client_address
                headers["X-Forwarded-Proto"] = "https"
                upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                content = response.read()
                with proxy._lock:
                    proxy.served.append((self.command, self.path, port))
                self.send_response(response.status)
                for name, value in response.getheaders():
                    if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)
                upstream.close()

            do_GET = do_POST = do_HEAD = _forward  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "RoundRobinProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


__all__ = ["Processes", "RoundRobinProxy", "free_port", "wait_for", "web_healthy", "worker_ready"]
