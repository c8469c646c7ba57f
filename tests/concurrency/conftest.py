import re
import threading

import pytest
from django.db import connection
from django.test import Client

from tests.factories import TEST_PASSWORD, current_totp

TOKEN = re.compile(r'name="form_token" value="([0-9a-f-]{36})"')


@pytest.fixture
def signed_in():
    """A browser of its own for each user (each thread needs its own session and connection)."""

    def _client(user) -> Client:
        client = Client()
        assert (
            client.post("/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}).status_code == 302
        )
        assert client.post("/accounts/second-factor/", {"token": current_totp(user)}).status_code == 302
        return client

    return _client


def form_token(page) -> str:
    return TOKEN.search(page.content.decode()).group(1)


def all_at_once(calls) -> list:
    """Run each call in its own thread, released together; the results in the order of `calls`."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
