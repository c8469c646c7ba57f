"""The access log's month partitions on PostgreSQL: created ahead of time, and, once older than the
log's retention, exported to an archive file and dropped. Dropping a partition is the only way a log
row ever leaves the database: the append-only trigger refuses UPDATE and DELETE to everyone, and
only the log's owner may drop a partition.

Both jobs connect with `ACCESS_LOG_OWNER_DATABASE_URL` when it is set: a login that is a member of
the log's NOLOGIN owner role and used by these jobs only (`manage.py access_log_roles` creates it).
Each transaction switches to the owner (`SET LOCAL ROLE`), so that what they create is the owner's
and nothing else can drop it. Without that URL they use the application's own connection, which
works where it is the owner or a superuser (the quick start, tests) and is refused, with a message
naming the setting, where it is the application's role.

Partitions are months in UTC, named `audit_accesslog_pYYYY_MM`; a default partition takes any row no
month covers, so an insert never fails, and the jobs move such rows into their month.

Both jobs are idempotent and safe to run at the same time as themselves: a session advisory lock
lets one run at a time, and the other returns without doing anything. On SQLite, or before the
table is partitioned, they do nothing."""

import csv
import datetime
import gzip
import hashlib
import json
import logging
import os
import re
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import environ
import psycopg2
from django.conf import settings
from django.db import connection
from django.utils import timezone
from psycopg2 import sql

logger = logging.getLogger(__name__)

LOG_TABLE = "audit_accesslog"
DEFAULT_PARTITION = "audit_accesslog_default"
PARTITION_PREFIX = "audit_accesslog_p"
LOCK_KEY = zlib.crc32(b"dacrre.audit.access_log_partitions")
# Dropping or creating a partition takes a brief exclusive lock on the log: it waits at most this
# long for running queries (an auditor's search) and otherwise tries again at the next run, rather
# than hold every request that writes the log behind it.
LOCK_TIMEOUT = "10s"
_BOUNDS = re.compile(r"FOR VALUES FROM \('([^']+)'\) TO \('([^']+)'\)")


class AccessLogOwnerError(Exception):
    """The connection may not manage the access log's partitions."""


@dataclass(frozen=True)
class Partition:
    name: str
    start: datetime.datetime | None  # None: the default partition
    end: datetime.datetime | None

    @property
    def is_default(self) -> bool:
        return self.start is None


@dataclass(frozen=True)
class ArchivedPartition:
    partition: str
    rows: int
    path: Path
    sha256: str


def month_start(moment: datetime.datetime | datetime.date) -> datetime.date:
    """The first day of the UTC month holding `moment`."""
    if isinstance(moment, datetime.datetime):
        moment = moment.astimezone(datetime.UTC).date()
    return moment.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def partition_name(month: datetime.date) -> str:
    return f"{PARTITION_PREFIX}{month:%Y_%m}"


def _utc(month: datetime.date) -> datetime.datetime:
    return datetime.datetime(month.year, month.month, 1, tzinfo=datetime.UTC)


def _connect(database_url: str | None) -> Any:
    url = database_url if database_url is not None else settings.ACCESS_LOG_OWNER_DATABASE_URL
    if url:
        config = environ.Env.db_url_config(url)
        conn = psycopg2.connect(
            dbname=config["NAME"],
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            application_name="dacrre access log partitions",
        )
    else:
        conn = connection.get_new_connection(connection.get_connection_params())
        conn.autocommit = False
    with conn.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'UTC'")  # partition bounds are read and written in UTC
    conn.commit()
    return conn


@contextmanager
def owner_connection(database_url: str | None = None) -> Iterator[Any]:
    """A connection of its own (psycopg2, not in autocommit) holding the jobs' advisory lock, or None
    when another run holds it or there is nothing to manage (not PostgreSQL, not partitioned)."""
    if connection.vendor != "postgresql":
        yield None
        return
    conn = _connect(database_url)
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [LOG_TABLE])
            row = cursor.fetchone()
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            locked = cursor.fetchone()[0]
        conn.commit()
        if row is None or row[0] != "p":
            logger.info("The access log is not partitioned: nothing to do")
            yield None
        elif not locked:
            logger.info("Another run manages the access log's partitions: this one does nothing")
            yield None
        else:
            yield conn
    finally:
        conn.close()  # and with it the session's advisory lock


def _become_owner(cursor: Any) -> str:
    """Act as the log's owner for the rest of the transaction; the owner's name."""
    cursor.execute(
        "SELECT pg_get_userbyid(relowner), current_user, pg_has_role(current_user, relowner, 'MEMBER')"
        " FROM pg_class WHERE oid = %s::regclass",
        [LOG_TABLE],
    )
    owner, current, member = cursor.fetchone()
    if owner != current:
        if not member:
            raise AccessLogOwnerError(
                f"Connected as {current}, which is neither {owner} (the access log's owner) nor a member of it: "
                "set ACCESS_LOG_OWNER_DATABASE_URL to the login `manage.py access_log_roles` made for these jobs."
            )
        cursor.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(owner)))
    cursor.execute("SET LOCAL lock_timeout = %s", [LOCK_TIMEOUT])
    return owner


def access_log_partitions_list(cursor: Any) -> list[Partition]:
    cursor.execute(
        "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
        " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = %s::regclass ORDER BY c.relname",
        [LOG_TABLE],
    )
    partitions = []
    for name, bound in cursor.fetchall():
        match = _BOUNDS.search(bound)
        if match is None:
            partitions.append(Partition(name, None, None))
        else:
            start, end = (datetime.datetime.fromisoformat(value) for value in match.groups())
            partitions.append(Partition(name, start, end))
    return sorted(partitions, key=lambda p: (p.start is None, p.start))


def _only_the_owner(cursor: Any, table: str) -> None:
    """Nobody but the owner has any right on a partition itself (the application reads and writes
    through the partitioned table), whatever default privileges gave it when it was made."""
    cursor.execute(
        "SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a"
        " WHERE c.oid = %s::regclass AND a.grantee <> c.relowner",
        [table],
    )
    grantees = [
        sql.SQL("PUBLIC") if oid == 0 else sql.SQL("{}").format(sql.Identifier(_role_name(cursor, oid)))
        for (oid,) in cursor.fetchall()
    ]
    if grantees:
        cursor.execute(
            sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(sql.Identifier(table), sql.SQL(", ").join(grantees))
        )


def _role_name(cursor: Any, oid: int) -> str:
    cursor.execute("SELECT pg_get_userbyid(%s)", [oid])
    return str(cursor.fetchone()[0])


def _create(cursor: Any, month: datetime.date) -> str:
    name = partition_name(month)
    cursor.execute(
        sql.SQL("CREATE TABLE {} PARTITION OF {} FOR VALUES FROM (%s) TO (%s)").format(
            sql.Identifier(name), sql.Identifier(LOG_TABLE)
        ),
        [_utc(month), _utc(add_months(month, 1))],
    )
    _only_the_owner(cursor, name)
    return name


def _move_out_of_default(cursor: Any) -> list[str]:
    """Give every month that has rows in the default partition its own partition, moving the rows
    there with their ids. The default partition is detached and its rows inserted again through the
    log (no row is updated or deleted), then the emptied old default is dropped. Returns the
    partitions created."""
    cursor.execute(
        sql.SQL("SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date FROM {}").format(
            sql.Identifier(DEFAULT_PARTITION)
        )
    )
    months = sorted(row[0] for row in cursor.fetchall())
    if not months:
        return []
    moving = f"{DEFAULT_PARTITION}_moving"
    log, old = sql.Identifier(LOG_TABLE), sql.Identifier(moving)
    cursor.execute(sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(log, sql.Identifier(DEFAULT_PARTITION)))
    cursor.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(sql.Identifier(DEFAULT_PARTITION), old))
    cursor.execute(sql.SQL("CREATE TABLE {} PARTITION OF {} DEFAULT").format(sql.Identifier(DEFAULT_PARTITION), log))
    _only_the_owner(cursor, DEFAULT_PARTITION)
    created = [_create(cursor, month) for month in months]
    cursor.execute(sql.SQL("INSERT INTO {} SELECT * FROM {}").format(log, old))
    moved = cursor.rowcount
    cursor.execute(sql.SQL("DROP TABLE {}").format(old))
    logger.info("Moved %s access log rows out of the default partition into %s", moved, ", ".join(created))
    return created


def access_log_partitions_ensure(
    *, months_ahead: int | None = None, now: datetime.datetime | None = None, database_url: str | None = None
) -> list[str]:
    """Create the month partitions from the current month to `months_ahead` months after it, and one
    for every month that has rows in the default partition. Returns the partitions created."""
    months_ahead = settings.ACCESS_LOG_PARTITION_MONTHS_AHEAD if months_ahead is None else months_ahead
    this_month = month_start(now or timezone.now())
    with owner_connection(database_url) as conn:
        if conn is None:
            return []
        try:
            with conn.cursor() as cursor:
                _become_owner(cursor)
                created = _move_out_of_default(cursor)
                existing = {p.name for p in access_log_partitions_list(cursor)}
                for offset in range(months_ahead + 1):
                    month = add_months(this_month, offset)
                    if partition_name(month) not in existing:
                        created.append(_create(cursor, month))
            conn.commit()
        except Exception:
            conn.rollback()
            raise
    if created:
        logger.info("Access log partitions created: %s", ", ".join(created))
    return created


def _write_archive(cursor: Any, partition: Partition, folder: Path) -> ArchivedPartition:
    """Export the partition to `<name>.csv.gz` (PostgreSQL's CSV, with a header), check that the file
    reads back with as many rows as the partition holds, and write its SHA-256 beside it (in
    `sha256sum` format) and a manifest. Files are written under temporary names and renamed."""
    table = sql.Identifier(partition.name)
    cursor.execute(sql.SQL("SELECT count(*), min(id), max(id) FROM {}").format(table))
    rows, first_id, last_id = cursor.fetchone()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = folder / f"{partition.name}.csv.gz"
    partial = folder / f".{partition.name}.csv.gz.partial"
    with open(partial, "wb") as raw:
        os.chmod(partial, 0o600)
        # No name or time in the gzip header: the same rows always make the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as compressed:
            cursor.copy_expert(
                sql.SQL("COPY (SELECT * FROM {} ORDER BY occurred_at, id) TO STDOUT WITH (FORMAT csv, HEADER true)")
                .format(table)
                .as_string(cursor),
                compressed,
            )
        raw.flush()
        os.fsync(raw.fileno())
    digest = hashlib.sha256()
    with open(partial, "rb") as written:
        for block in iter(lambda: written.read(1024 * 1024), b""):
            digest.update(block)
    with gzip.open(partial, "rt", encoding="utf-8", newline="") as reread:
        read_back = sum(1 for _ in csv.reader(reread)) - 1
    if read_back != rows:
        partial.unlink()
        raise RuntimeError(f"{partition.name}: the archive reads back {read_back} rows, the partition holds {rows}")
    sha256 = digest.hexdigest()
    manifest = {
        "table": LOG_TABLE,
        "partition": partition.name,
        "from": partition.start.isoformat() if partition.start else None,
        "to": partition.end.isoformat() if partition.end else None,
        "rows": rows,
        "first_id": first_id,
        "last_id": last_id,
        "file": final.name,
        "format": "PostgreSQL CSV with a header row, gzip",
        "sha256": sha256,
        "archived_at": timezone.now().isoformat(),
    }
    for name, text in (
        (f"{final.name}.sha256", f"{sha256}  {final.name}\n"),
        (f"{partition.name}.json", json.dumps(manifest, indent=2) + "\n"),
    ):
        temporary = folder / f".{name}.partial"
        temporary.write_text(text, encoding="utf-8")
        os.chmod(temporary, 0o600)
        os.replace(temporary, folder / name)
    os.replace(partial, final)
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return ArchivedPartition(partition=partition.name, rows=rows, path=final, sha256=sha256)


def access_log_partitions_archive(
    *,
    retention_months: int | None = None,
    archive_dir: str | Path | None = None,
    now: datetime.datetime | None = None,
    database_url: str | None = None,
) -> list[ArchivedPartition]:
    """Export each month partition that ended `retention_months` months or more before the current
    month began (retention 120 in November 2026: October 2016 and before), then drop it: one
    transaction per partition, which holds the partition against new rows from the export to the
    drop, so every row dropped is in the file. A partition whose file cannot be written or checked is
    not dropped. Rows in the default partition are first moved into their months, so that old ones
    are archived too."""
    retention_months = settings.ACCESS_LOG_RETENTION_MONTHS if retention_months is None else retention_months
    if retention_months < 1:
        raise ValueError("The access log's retention must be at least one month.")
    folder = Path(archive_dir if archive_dir is not None else settings.ACCESS_LOG_ARCHIVE_DIR)
    cutoff = _utc(add_months(month_start(now or timezone.now()), -retention_months))
    archived: list[ArchivedPartition] = []
    with owner_connection(database_url) as conn:
        if conn is None:
            return []
        try:
            with conn.cursor() as cursor:
                _become_owner(cursor)
                _move_out_of_default(cursor)
                expired = [p for p in access_log_partitions_list(cursor) if p.end is not None and p.end <= cutoff]
            conn.commit()
            for partition in expired:
                with conn.cursor() as cursor:
                    _become_owner(cursor)
                    cursor.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(sql.Identifier(partition.name)))
                    done = _write_archive(cursor, partition, folder)
                    cursor.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(partition.name)))
                conn.commit()
                logger.info(
                    "Access log partition %s archived to %s (%s rows, sha256 %s) and dropped",
                    done.partition,
                    done.path,
                    done.rows,
                    done.sha256,
                )
                archived.append(done)
        except Exception:
            conn.rollback()
            raise
    return archived


def archive_read(path: str | Path) -> list[dict[str, str]]:
    """The rows of an archive file, after checking it against its `.sha256` file."""
    path = Path(path)
    expected = Path(f"{path}.sha256").read_text(encoding="utf-8").split()[0]
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if actual != expected:
        raise ValueError(f"{path.name}: its SHA-256 is {actual}, not {expected} as recorded")
    with gzip.open(path, "rt", encoding="utf-8", newline="") as text:
        return list(csv.DictReader(text))
