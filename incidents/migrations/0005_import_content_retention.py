"""When each import finished, and when its uploaded file was removed: uploaded files are kept only a
set number of days after the import finished (incidents.jobs.import_content_purge)."""

from django.db import migrations, models
from django.db.models.functions import Coalesce

FINISHED = ["checked", "refused", "imported", "failed"]


def backfill_finished_at(apps, schema_editor):
    IncidentImport = apps.get_model("incidents", "IncidentImport")
    IncidentImport.objects.filter(status__in=FINISHED, finished_at__isnull=True).update(
        finished_at=Coalesce("imported_at", "started_at", "queued_at", "uploaded_at")
    )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0004_import_queued_at")]

    operations = [
        migrations.AddField(
            model_name="incidentimport",
            name="finished_at",
            field=models.DateTimeField(
                blank=True, help_text="When the job last finished: checked, refused, imported or failed.", null=True
            ),
        ),
        migrations.AddField(
            model_name="incidentimport",
            name="content_removed_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the uploaded file was removed (the job and its report are kept).",
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="incidentimport",
            index=models.Index(fields=["status", "finished_at"], name="incidents_import_finished_idx"),
        ),
        migrations.RunPython(backfill_finished_at, migrations.RunPython.noop),
    ]
