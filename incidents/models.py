"""Recorded DA incidents and crimes, as imported from the police records system."""

import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from dacrre.accounts.models import Agency, Area
from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel, TimeStampedModel
from perpetrators.models import Perpetrator
from victims.models import Child, Victim


class OffenceCategory(models.TextChoices):
    HOMICIDE_ATTEMPT = "homicide_attempt", "Attempted murder / homicide"
    GBH = "gbh", "Grievous bodily harm"
    STRANGULATION = "strangulation", "Non-fatal strangulation or suffocation"
    SEXUAL_OFFENCE = "sexual_offence", "Sexual offence"
    ABH = "abh", "Actual bodily harm"
    COMMON_ASSAULT = "common_assault", "Common assault"
    STALKING = "stalking", "Stalking"
    HARASSMENT = "harassment", "Harassment"
    COERCIVE_CONTROL = "coercive_control", "Controlling or coercive behaviour"
    THREATS_TO_KILL = "threats_to_kill", "Threats to kill"
    CRIMINAL_DAMAGE = "criminal_damage", "Criminal damage"
    BREACH_OF_ORDER = "breach_of_order", "Breach of order or bail"
    PUBLIC_ORDER = "public_order", "Public order"
    NON_CRIME = "non_crime", "Non-crime domestic incident"


class Incident(PublicIdModel, TimeStampedModel):
    source_reference = models.CharField(
        max_length=60, unique=True, help_text="The incident or crime number in the police records system."
    )
    occurred_at = models.DateTimeField()
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="incidents")
    recording_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="incidents")
    offence_category = models.CharField(max_length=32, choices=OffenceCategory.choices)
    is_crime = models.BooleanField(default=True)
    perpetrator = models.ForeignKey(Perpetrator, on_delete=models.PROTECT, related_name="incidents")
    victims = models.ManyToManyField(Victim, related_name="incidents", blank=True)
    children_present = models.ManyToManyField(Child, related_name="incidents_present_at", blank=True)
    injury = models.BooleanField(default=False)
    weapon_used = models.BooleanField(default=False)
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["perpetrator", "occurred_at"]), models.Index(fields=["area", "occurred_at"])]

    def __str__(self) -> str:
        return self.source_reference


class ImportStatus(models.TextChoices):
    WAITING_CHECK = "waiting_check", "Waiting to be checked"
    CHECKING = "checking", "Checking"
    CHECKED = "checked", "Checked (dry run)"
    REFUSED = "refused", "Refused: errors found"
    WAITING_IMPORT = "waiting_import", "Waiting to be imported"
    IMPORTING = "importing", "Importing"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Stopped: nothing imported"


# A job in one of these states is still being worked on in the background.
IMPORT_IN_PROGRESS = {
    ImportStatus.WAITING_CHECK,
    ImportStatus.CHECKING,
    ImportStatus.WAITING_IMPORT,
    ImportStatus.IMPORTING,
}
# Finished jobs whose file is removed IMPORT_CONTENT_RETENTION_DAYS after they finished (a checked
# file that is never imported included), and those whose file goes after
# IMPORT_FAILED_CONTENT_RETENTION_DAYS (see incidents.jobs.import_content_purge).
IMPORT_DONE = {ImportStatus.IMPORTED, ImportStatus.CHECKED}
IMPORT_NOT_DONE = {ImportStatus.REFUSED, ImportStatus.FAILED}


class IncidentImport(PublicIdModel):
    """An uploaded extract, kept with its dry-run and import reports."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200)
    content = models.TextField()
    status = models.CharField(max_length=16, choices=ImportStatus.choices)
    rows_total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict)
    queued_at = models.DateTimeField(null=True, blank=True, help_text="When the job was last given to the worker.")
    started_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(
        null=True, blank=True, help_text="When the job last finished: checked, refused, imported or failed."
    )
    content_removed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the uploaded file was removed (the job and its report are kept)."
    )

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["status", "finished_at"], name="incidents_import_finished_idx")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display().lower()})"

    def access_subject(self) -> AccessSubject:
        return AccessSubject(
            object_type="incident import", object_id=self.public_id, label=f"Import of {self.filename}"
        )

    @property
    def in_progress(self) -> bool:
        return self.status in IMPORT_IN_PROGRESS

    @property
    def content_retention_days(self) -> int:
        if self.status in IMPORT_NOT_DONE:
            return int(settings.IMPORT_FAILED_CONTENT_RETENTION_DAYS)
        return int(settings.IMPORT_CONTENT_RETENTION_DAYS)

    @property
    def content_removal_due(self) -> datetime.datetime | None:
        """When the purge job will remove the file; None while the job runs or once it is removed."""
        if self.content_removed_at is not None or self.finished_at is None or self.in_progress:
            return None
        return self.finished_at + datetime.timedelta(days=self.content_retention_days)
