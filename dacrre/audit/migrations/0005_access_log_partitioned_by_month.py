"""On PostgreSQL, the access log becomes a table range-partitioned by `occurred_at` month, so that
months older than its retention can be archived and dropped whole (`dacrre/audit/partitions.py`),
the only way a log row ever leaves the database. On SQLite it stays a plain table.

The existing table is converted in one transaction, keeping:
- every row and its id (the id sequence goes on from where it was);
- every index, under the same names (Django's), now partitioned indexes on every partition;
- the append-only trigger, now on the partitioned table and so on every partition, present and future;
- the owner and the grants `manage.py access_log_roles` gave (the owner also owns every partition;
  no other role has any right on a partition itself: the application reads and writes through the
  partitioned table only).

The primary key becomes (id, occurred_at): PostgreSQL requires a partitioned table's unique keys to
include the partition key. Django's model keeps `id` as its primary key: ids are unique (one
sequence), and every lookup by id still works. PostgreSQL 15 cannot put an identity column on a
partitioned table, so `id` takes its default from a sequence owned by the column (as `serial` does).

Partitions: one per month (UTC) that holds rows, the current month and the next, and a default
partition that takes any row no month partition covers, so an insert never fails. The scheduled job
creates the months ahead and moves any rows that reached the default partition into their month."""

import datetime

from django.db import migrations

TABLE = "audit_accesslog"
STAGING = "audit_accesslog_conversion"
SEQUENCE = "audit_accesslog_id_seq"
DEFAULT_PARTITION = "audit_accesslog_default"
TRIGGER = (
    "CREATE TRIGGER audit_accesslog_append_only BEFORE UPDATE OR DELETE ON audit_accesslog "
    "FOR EACH ROW EXECUTE FUNCTION audit_accesslog_refuse_change()"
)


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def _month_after(month):
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _grants(cursor, relation):
    """(grantee, privilege) of every role but the owner; PUBLIC is grantee 0."""
    cursor.execute(
        "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,"
        " a.privilege_type FROM pg_class c, aclexplode(c.relacl) a"
        " WHERE c.oid = %s::regclass AND a.grantee <> c.relowner",
        [relation],
    )
    return cursor.fetchall()


def _state(cursor):
    """What must survive the conversion, read from the table as it is."""
    cursor.execute("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = %s::regclass", [TABLE])
    owner = cursor.fetchone()[0]
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
    sequence = cursor.fetchone()[0]
    cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 - a name from the catalogue
    last_value, is_called = cursor.fetchone()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s"
        " AND indexname <> 'audit_accesslog_pkey' ORDER BY indexname",
        [TABLE],
    )
    indexes = [definition.replace(" ON ONLY ", " ON ") for _, definition in cursor.fetchall()]
    return {
        "owner": owner,
        "table_grants": _grants(cursor, TABLE),
        "sequence_grants": _grants(cursor, sequence),
        "next_id": last_value if is_called else last_value - 1,
        "indexes": indexes,
    }


def _restore_state(cursor, state):
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT audit_accesslog_pkey PRIMARY KEY ({state['key']})")
    for definition in state["indexes"]:
        cursor.execute(definition)
    cursor.execute(TRIGGER)
    cursor.execute("SELECT current_user")
    if cursor.fetchone()[0] != state["owner"]:
        cursor.execute(f"ALTER TABLE {TABLE} OWNER TO {_quote(state['owner'])}")  # its sequence follows
        cursor.execute(
            "SELECT quote_ident(c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        for (partition,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {partition} OWNER TO {_quote(state['owner'])}")
    # The new table and sequence got the default privileges of the role running the migration: only
    # the grants the old ones had are given back.
    for relation, kind in ((TABLE, "TABLE"), (SEQUENCE, "SEQUENCE")):
        grantees = sorted({grantee for grantee, _ in _grants(cursor, relation)})
        if grantees:
            cursor.execute(f"REVOKE ALL ON {kind} {relation} FROM {', '.join(grantees)}")
    for grantee, privilege in state["table_grants"]:
        cursor.execute(f"GRANT {privilege} ON TABLE {TABLE} TO {grantee}")
    for grantee, privilege in state["sequence_grants"]:
        cursor.execute(f"GRANT {privilege} ON SEQUENCE {SEQUENCE} TO {grantee}")
    # Partitions made here got the default privileges of the role running the migration: nobody but
    # the owner has any right on a partition itself.
    cursor.execute(
        "SELECT quote_ident(c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = %s::regclass",
        [TABLE],
    )
    for (partition,) in cursor.fetchall():
        grantees = sorted({grantee for grantee, _ in _grants(cursor, partition)})
        if grantees:
            cursor.execute(f"REVOKE ALL ON TABLE {partition} FROM {', '.join(grantees)}")


def partition_the_log(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE])
        if cursor.fetchone()[0] == "p":
            return
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        state = _state(cursor)
        cursor.execute(
            f"SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date FROM {TABLE}"  # noqa: S608
        )
        months = {row[0] for row in cursor.fetchall()}
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {TABLE}")  # noqa: S608
        next_id = max(state["next_id"], cursor.fetchone()[0])
        this_month = datetime.datetime.now(datetime.UTC).date().replace(day=1)
        months |= {this_month, _month_after(this_month)}

        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {STAGING}")
        cursor.execute(
            "SELECT attidentity FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'id'", [STAGING]
        )
        if cursor.fetchone()[0]:
            cursor.execute(f"ALTER TABLE {STAGING} ALTER COLUMN id DROP IDENTITY")  # drops its sequence
        else:  # a sequence default (this migration, reversed)
            cursor.execute(f"ALTER TABLE {STAGING} ALTER COLUMN id DROP DEFAULT")
            cursor.execute(f"DROP SEQUENCE {SEQUENCE}")
        cursor.execute(f"CREATE SEQUENCE {SEQUENCE} AS bigint")
        cursor.execute(
            f"CREATE TABLE {TABLE} (LIKE {STAGING} INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMMENTS)"
            " PARTITION BY RANGE (occurred_at)"
        )
        cursor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN id SET DEFAULT nextval('{SEQUENCE}')")
        cursor.execute(f"ALTER SEQUENCE {SEQUENCE} OWNED BY {TABLE}.id")
        if next_id > 0:
            cursor.execute("SELECT setval(%s, %s, true)", [SEQUENCE, next_id])
        for month in sorted(months):
            cursor.execute(
                f"CREATE TABLE audit_accesslog_p{month:%Y_%m} PARTITION OF {TABLE}"
                f" FOR VALUES FROM ('{month:%Y-%m-%d} 00:00:00+00') TO ('{_month_after(month):%Y-%m-%d} 00:00:00+00')"
            )
        cursor.execute(f"CREATE TABLE {DEFAULT_PARTITION} PARTITION OF {TABLE} DEFAULT")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {STAGING}")  # noqa: S608
        cursor.execute(f"DROP TABLE {STAGING}")  # with its indexes and trigger: their names are free again
        _restore_state(cursor, {**state, "key": "id, occurred_at"})
        cursor.execute(f"ANALYZE {TABLE}")


def unpartition_the_log(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [TABLE])
        if cursor.fetchone()[0] != "p":
            return
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        state = _state(cursor)
        cursor.execute(f"ALTER TABLE {TABLE} RENAME TO {STAGING}")
        cursor.execute(f"ALTER SEQUENCE {SEQUENCE} OWNED BY NONE")  # kept when the partitioned table goes
        cursor.execute(f"CREATE TABLE {TABLE} (LIKE {STAGING} INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMMENTS)")
        cursor.execute(f"INSERT INTO {TABLE} SELECT * FROM {STAGING}")  # noqa: S608
        cursor.execute(f"DROP TABLE {STAGING}")  # and every partition
        cursor.execute(f"ALTER SEQUENCE {SEQUENCE} OWNER TO CURRENT_USER")  # as the new table's, for now
        cursor.execute(f"ALTER SEQUENCE {SEQUENCE} OWNED BY {TABLE}.id")
        _restore_state(cursor, {**state, "key": "id"})


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_merge_actions")]

    operations = [migrations.RunPython(partition_the_log, unpartition_the_log)]
