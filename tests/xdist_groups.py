"""Tests that must not run at the same time as each other when the suite runs in several processes
(`make test`: pytest-xdist, two processes)."""

from collections.abc import Callable
from typing import TypeVar

import pytest

_Test = TypeVar("_Test", bound=Callable[..., object])


def real_processes(test: _Test) -> _Test:
    """A test that starts real servers and workers (gunicorn, Celery workers, redis-server, locust) and
    waits for them against deadlines. Such tests run one at a time: the Celery workers of two of them
    consume the shared Redis's own queues, which they purge first, so that run at once one would purge
    or take the other's task and run it against its own database; the others each load both cores for
    a minute. The `xdist_group` mark asks `--dist loadgroup` to run them all in one process; the lock
    (`real_processes_lock` in tests/conftest.py) makes sure of it whatever the scheduler does, as
    pytest-xdist 3.8 ignores the groups under pytest 9.2."""
    test = pytest.mark.xdist_group("real-processes")(test)
    return pytest.mark.usefixtures("real_processes_lock")(test)
