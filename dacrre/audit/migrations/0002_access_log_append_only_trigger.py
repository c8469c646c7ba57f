"""On PostgreSQL, refuse UPDATE and DELETE on the access log at the database itself, whoever connects.

TRUNCATE is not covered by row triggers; it needs table ownership, which the application's role
should not have in production (see docs/operations.md)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_accesslog_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_accesslog is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_accesslog_append_only
BEFORE UPDATE OR DELETE ON audit_accesslog
FOR EACH ROW EXECUTE FUNCTION audit_accesslog_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_accesslog_append_only ON audit_accesslog;
DROP FUNCTION IF EXISTS audit_accesslog_refuse_change();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_access_log")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
