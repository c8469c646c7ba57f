import secrets
import uuid

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from psycopg2 import sql


def database_url(user: str, password: str) -> str:
    settings_dict = connection.settings_dict
    return (
        f"postgres://{user}:{password}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
        f"/{settings_dict['NAME']}"
    )


def connect_as(user: str, password: str):
    settings_dict = connection.settings_dict
    conn = psycopg2.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        dbname=settings_dict["NAME"],
        user=user,
        password=password,
    )
    conn.autocommit = True
    return conn


def partition_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = 'audit_accesslog'::regclass"
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def partitions_restored(transactional_db):
    """The jobs commit on connections of their own: put the partitions back as the migration left
    them (drop the months a test made; their rows are the test's)."""
    before = partition_names()
    yield
    with connection.cursor() as cursor:
        for name in sorted(partition_names() - before):
            cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(name)))
    assert before <= partition_names(), "a test dropped a partition the migration made"


@pytest.fixture
def log_roles(transactional_db):
    """The roles of docs/operations.md with random names (roles belong to the whole cluster): the log's
    NOLOGIN owner, the application's login and the partition jobs' login. Dropped at the end."""
    suffix = uuid.uuid4().hex[:10]
    roles = {
        "owner": f"test_audit_owner_{suffix}",
        "app": f"test_app_{suffix}",
        "app_password": secrets.token_urlsafe(16),
        "jobs": f"test_jobs_{suffix}",
        "jobs_password": secrets.token_urlsafe(16),
    }
    roles["app_url"] = database_url(roles["app"], roles["app_password"])
    roles["jobs_url"] = database_url(roles["jobs"], roles["jobs_password"])
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        superuser = cursor.fetchone()[0]
    call_command(
        "access_log_roles", app_url=roles["app_url"], owner_role=roles["owner"], partitions_url=roles["jobs_url"]
    )
    yield roles
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("REASSIGN OWNED BY {} TO {}").format(sql.Identifier(roles["owner"]), sql.Identifier(superuser))
        )
        for role in ("jobs", "app", "owner"):
            cursor.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(roles[role])))
            cursor.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(roles[role])))
