import fcntl
import os
from collections.abc import Iterator

import pytest

from tests.factories import TEST_PASSWORD, current_totp


def _database_is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` or `redis` need the real service; elsewhere they are skipped with the reason."""
    skip_postgres = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)")
    skip_redis = pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://... (CI does)")
    for item in items:
        if "postgres" in item.keywords and not _database_is_postgres():
            item.add_marker(skip_postgres)
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(skip_redis)


@pytest.fixture
def login(client):
    """Log a user in through the real forms, password then second factor, as a person would."""

    def _login(user):
        client.logout()
        response = client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.content
        response = client.post("/accounts/second-factor/", {"token": current_totp(user)})
        assert response.status_code == 302, response.content
        return client

    return _login


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def real_processes_lock(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Held for the whole of a test marked @real_processes (tests/xdist_groups.py): across the xdist
    processes of one run, one such test at a time. The lock file is in the run's own temporary folder."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        yield
        return
    with (tmp_path_factory.getbasetemp().parent / "real-processes.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
