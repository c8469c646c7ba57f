"""The database router on its own: without DATABASE_REPLICA_URL every read is on the primary, the
replica is never migrated, and writes always go to the primary."""

from django.conf import settings
from django.db import router

from cases.models import Case
from dacrre.accounts.models import User
from dacrre.core.db_router import REPLICA, replica_reads


def test_without_a_replica_every_read_is_on_the_primary() -> None:
    assert REPLICA not in settings.DATABASES
    with replica_reads():
        assert router.db_for_read(Case) == "default"
    assert router.db_for_read(Case) == "default"


def test_the_replica_is_never_migrated_and_never_written() -> None:
    for app_label in ("cases", "audit", "sessions", "accounts", "incidents"):
        assert router.allow_migrate(REPLICA, app_label) is False
        assert router.allow_migrate("default", app_label) is True
    assert router.db_for_write(Case) == "default" and router.db_for_write(User) == "default"


def test_the_settings_add_the_replica_only_from_its_url(monkeypatch) -> None:
    import importlib

    import dacrre.settings as service_settings

    monkeypatch.setenv("DATABASE_URL", "postgres://app@primary.example:5432/dacrre")
    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://app@replica.example:5432/dacrre")
    try:
        replica = importlib.reload(service_settings).DATABASES[REPLICA]
        assert replica["HOST"] == "replica.example" and replica["TEST"] == {"MIRROR": "default"}
        assert replica["OPTIONS"]["options"] == "-c jit=off"
        monkeypatch.delenv("DATABASE_REPLICA_URL")
        assert REPLICA not in importlib.reload(service_settings).DATABASES
    finally:
        monkeypatch.undo()
        importlib.reload(service_settings)
    assert service_settings.DATABASE_ROUTERS == ["dacrre.core.db_router.ReplicaRouter"]
