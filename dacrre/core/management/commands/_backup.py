"""What `backup`, `backup_restore_check` and `backup_verify` share: the manifest written beside each
dump (row counts per table, the migrations applied and the access log's owner and grants, all read
in the snapshot the dump is taken from) and the PostgreSQL connection details for the client tools.
See docs/operations.md, "Backup and restore"."""

import hashlib
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

MANIFEST_FORMAT = "dacrre-backup-manifest/1"
LOG_TABLE = "audit_accesslog"
LOG_TRIGGER = "audit_accesslog_append_only"


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + ".manifest.json")


def read_manifest(path: Path) -> dict[str, Any]:
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != MANIFEST_FORMAT:
        raise ValueError(f"{path} is not a dacrre backup manifest ({MANIFEST_FORMAT})")
    return manifest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def client_environment(settings_dict: dict[str, Any], *, name: str | None = None) -> dict[str, str]:
    """The environment for pg_dump, pg_restore and psql: the connection in libpq's variables, so that
    no password shows on a command line."""
    environment = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        value = settings_dict.get(key)
        if value:
            environment[variable] = str(value)
        else:
            environment.pop(variable, None)
    environment["PGDATABASE"] = name or settings_dict["NAME"]
    return environment


def database_url(settings_dict: dict[str, Any], name: str) -> str:
    """A DATABASE_URL for the same server and login, naming another database."""
    user = quote(str(settings_dict.get("USER") or ""), safe="")
    password = settings_dict.get("PASSWORD")
    credentials = f"{user}:{quote(str(password), safe='')}@" if password else (f"{user}@" if user else "")
    host = quote(str(settings_dict.get("HOST") or ""), safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"


def table_counts(cursor: Any) -> dict[str, int]:
    """Rows in every table of the public schema: ordinary tables, partitioned tables (all their rows)
    and each partition."""
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM public."{table}"')  # noqa: S608 - a name from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def access_log_state(cursor: Any) -> dict[str, Any] | None:
    """The access log's kind, owner, the owner's attributes, the other roles' rights on it, and the
    owners of its partitions and their rights: what `manage.py access_log_roles` sets."""
    cursor.execute(
        "SELECT c.relkind, r.rolname, r.rolcanlogin, r.rolsuper FROM pg_class c"
        " JOIN pg_roles r ON r.oid = c.relowner WHERE c.oid = to_regclass(%s)",
        [LOG_TABLE],
    )
    row = cursor.fetchone()
    if row is None:
        return None
    kind, owner, owner_can_login, owner_is_superuser = row
    cursor.execute(
        "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END, a.privilege_type"
        " FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = %s::regclass AND a.grantee <> c.relowner"
        " ORDER BY 1, 2",
        [LOG_TABLE],
    )
    grants = [list(grant) for grant in cursor.fetchall()]
    cursor.execute(
        "SELECT c.relname, pg_get_userbyid(c.relowner),"
        " (SELECT count(*) FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner)"
        " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass ORDER BY 1",
        [LOG_TABLE],
    )
    partitions = {name: {"owner": part_owner, "grants": others} for name, part_owner, others in cursor.fetchall()}
    return {
        "partitioned": kind == "p",
        "owner": owner,
        "owner_can_login": owner_can_login,
        "owner_is_superuser": owner_is_superuser,
        "grants": grants,
        "partitions": partitions,
    }
