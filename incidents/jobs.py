"""Running an incident import as a background job that the analyst can leave and come back to.

The job row (`IncidentImport`) is the source of truth: its status says where the job is, and the
import's data and its final status commit in one transaction, so a worker killed mid-import leaves
nothing half-written and the job is simply run again (the import is idempotent). While a worker runs
a job it holds the job row's lock (PostgreSQL), which is how the page and the resume job know that
a worker is alive.

Progress (phase, rows done, when) is kept in the cache, which the page polls. It is only a report:
a cache that is down or fails never fails the import (the write is logged and skipped) nor a page
(which then says progress cannot be shown).
"""

import datetime
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from dacrre.accounts.models import Agency, User
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.exceptions import ConflictError, InvalidTransitionError

from .importer import report_without_file_values
from .models import IMPORT_DONE, IMPORT_IN_PROGRESS, IMPORT_NOT_DONE, ImportStatus, IncidentImport
from .services import ImportBusyError, incident_import

logger = logging.getLogger(__name__)

# Files up to this many rows are checked and imported while the analyst waits (a second or two);
# larger ones go to the background worker.
INLINE_ROWS = 2000
# A file run while the analyst waits does not queue behind another import: it goes to the worker.
INLINE_LOCK_WAIT_SECONDS = 2.0
PROGRESS_TIMEOUT = 24 * 3600
# Where the database cannot say whether a worker holds a job (SQLite), a running job whose progress
# has not moved for this long has lost its worker.
STALLED_AFTER = datetime.timedelta(minutes=10)
# On PostgreSQL a running job whose row no worker holds has lost its worker; this covers the instant
# between a worker claiming the job and taking its row lock.
STALLED_GRACE = datetime.timedelta(minutes=1)
# A job waiting this long for a worker to start it was lost with its message (broker down).
WAITING_AFTER = datetime.timedelta(minutes=5)
# The beat job `incidents-resume-imports` runs every this many minutes (dacrre/celery.py).
RESUME_EVERY_MINUTES = 5

WAITING = {ImportStatus.WAITING_CHECK, ImportStatus.WAITING_IMPORT}
# The phases a job in each status reports, the first being where it starts.
STATUS_PHASES = {
    ImportStatus.WAITING_CHECK: ["waiting"],
    ImportStatus.WAITING_IMPORT: ["waiting"],
    ImportStatus.CHECKING: ["checking"],
    ImportStatus.IMPORTING: ["preparing", "queued", "importing"],
}
PHASE_LABELS = {
    "waiting": "Waiting for the background worker to start",
    "checking": "Checking the file",
    "queued": "Waiting for another import to finish (imports are written one at a time, so that a person "
    "named in both files is created once)",
    "preparing": "Step 1 of 2: matching the people and incidents again",
    "importing": "Step 2 of 2: writing the incidents",
}


def _progress_key(job_public_id: object) -> str:
    return f"incident-import:{job_public_id}:progress"


def import_progress_set(job_public_id: object, phase: str, done: int, total: int) -> bool:
    """Store progress; False (logged) when the cache cannot take it. Never raises."""
    try:
        cache.set(
            _progress_key(job_public_id),
            {"phase": phase, "done": done, "total": total, "at": timezone.now().isoformat()},
            PROGRESS_TIMEOUT,
        )
    except Exception:  # noqa: BLE001 - progress is a report: the import carries on without it
        logger.warning("Progress of incident import %s not stored: the cache is unavailable", job_public_id)
        return False
    return True


class ProgressWriter:
    """The import's progress callback: after the cache fails once, it stops trying for this run (each
    try could wait for a connection timeout) and logs that once."""

    def __init__(self, job_public_id: uuid.UUID) -> None:
        self.job_public_id = job_public_id
        self.working = True

    def __call__(self, phase: str, done: int, total: int) -> None:
        if self.working:
            self.working = import_progress_set(self.job_public_id, phase, done, total)


@dataclass
class ImportProgress:
    """What the page shows about a job in progress, all of it true at the time of asking."""

    phase: str
    label: str
    done: int
    total: int
    percent: int
    at: datetime.datetime | None  # the last progress reported
    known: bool  # False: the cache could not be read, so only the job row is known
    stalled: bool
    restart_by: datetime.datetime | None  # when the resume job will send a stalled job again
    worker_holds: bool | None  # a worker holds the job now (None: the database cannot tell)

    @property
    def can_run_again(self) -> bool:
        return self.stalled


def _worker_holds(job: IncidentImport) -> bool | None:
    """True when a worker is running the job now: it holds the job row's lock for the whole run.
    None where the database cannot tell (SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with transaction.atomic():
        free = IncidentImport.objects.select_for_update(skip_locked=True).filter(pk=job.pk).values_list("pk")
        return not list(free)


def _next_resume(after: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(after).replace(second=0, microsecond=0)
    return local + datetime.timedelta(minutes=RESUME_EVERY_MINUTES - local.minute % RESUME_EVERY_MINUTES)


def import_progress_get(job: IncidentImport) -> ImportProgress:
    try:
        stored = cache.get(_progress_key(job.public_id)) or {}
        known = True
    except Exception:  # noqa: BLE001 - the page says progress is unknown instead of failing
        logger.warning("Progress of incident import %s not read: the cache is unavailable", job.public_id)
        stored, known = {}, False
    phases = STATUS_PHASES.get(ImportStatus(job.status), [])
    if stored.get("phase") not in phases:
        stored = {}  # progress of an earlier phase or run: not what the job is doing now
    phase = stored.get("phase") or (phases[0] if phases else "")
    at = datetime.datetime.fromisoformat(stored["at"]) if stored.get("at") else None
    total = stored.get("total") or job.rows_total
    done = min(stored.get("done", 0), total) if total else 0
    if not known and phase != "waiting":
        phase = ""  # which step a running job is at is not known
    progress = ImportProgress(
        phase=phase,
        label=PHASE_LABELS.get(phase, job.get_status_display()),
        done=done,
        total=total,
        percent=int(done * 100 / total) if total else 0,
        at=at,
        known=known,
        stalled=False,
        restart_by=None,
        worker_holds=None,
    )
    if not job.in_progress:
        return progress
    now = timezone.now()
    if job.status in WAITING:
        since = max([moment for moment in (at, job.queued_at) if moment is not None] or [job.uploaded_at])
        eligible = since + WAITING_AFTER
    else:
        progress.worker_holds = _worker_holds(job)
        if progress.worker_holds:
            return progress
        started = job.started_at or job.queued_at or job.uploaded_at
        if progress.worker_holds is False:
            eligible = started + STALLED_GRACE
        else:
            eligible = max(filter(None, [at, started])) + STALLED_AFTER
    progress.stalled = now >= eligible
    if progress.stalled:
        progress.restart_by = _next_resume(now)
    return progress


def count_rows(content: str) -> int:
    """Data rows, roughly (a quoted field may hold a line break): enough to choose inline or background."""
    lines = content.count("\n") + (0 if content.endswith("\n") else 1)
    return max(lines - 1, 0)


def _claim(job_id: int, waiting: str, running: str) -> IncidentImport | None:
    with transaction.atomic():
        job = IncidentImport.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in {waiting, running}:
            return None  # done already, or another worker finished it
        job.status, job.started_at = running, timezone.now()
        job.save(update_fields=["status", "started_at"])
    return job


def _mark_failed(job: IncidentImport, running: str, dry_run: bool) -> None:
    """Say on the job that it stopped. After a database blip the connection was dropped with the
    import's transaction, and this reconnects; if the database is still away the job keeps its
    running status and the resume job finds it (no worker holds it)."""
    report = {key: value for key, value in job.report.items() if key not in {"failure", "failed"}}
    report.setdefault("errors", [])
    report["failed"] = "check" if dry_run else "import"
    report["failure"] = (
        "The job stopped with an error (the database or the worker went away). Nothing was "
        f"{'checked' if dry_run else 'imported'}: you can run it again from this page."
    )
    try:
        IncidentImport.objects.filter(pk=job.pk, status=running).update(
            status=ImportStatus.FAILED, report=report, finished_at=timezone.now()
        )
    except Exception:  # noqa: BLE001 - the original error is the one to report
        logger.exception("Incident import %s could not be marked as failed", job.pk)


def import_job_run(job_id: int, *, dry_run: bool, lock_wait_seconds: float | None = None) -> IncidentImport | None:
    """Check or import one job. Safe to call twice or after a crash: the row lock and the status
    make a second run wait and then do nothing, and a rolled-back run starts again cleanly.

    With `lock_wait_seconds`, an import that would wait longer for another import to finish is put
    back to waiting (ImportBusyError) for the caller to hand to the worker."""
    waiting, running = (
        (ImportStatus.WAITING_CHECK, ImportStatus.CHECKING)
        if dry_run
        else (ImportStatus.WAITING_IMPORT, ImportStatus.IMPORTING)
    )
    claimed = _claim(job_id, waiting, running)
    if claimed is None:
        return None
    job = claimed
    try:
        with transaction.atomic():
            job = IncidentImport.objects.select_for_update().get(pk=job_id)
            if job.status != running:
                return None
            report = incident_import(
                actor=job.uploaded_by,
                agency=job.agency,
                content=job.content,
                dry_run=dry_run,
                progress=ProgressWriter(job.public_id),
                lock_wait_seconds=lock_wait_seconds,
            )
            if report["errors"]:
                job.status = ImportStatus.REFUSED
            elif dry_run:
                job.status = ImportStatus.CHECKED
            else:
                job.status, job.imported_at = ImportStatus.IMPORTED, timezone.now()
            job.report, job.finished_at = report, timezone.now()
            job.save(update_fields=["status", "report", "imported_at", "finished_at"])
            if job.status == ImportStatus.IMPORTED:
                access_log_record(
                    user=job.uploaded_by,
                    action=AccessAction.COLLECT,
                    object_type="incident import",
                    object_id=job.public_id,
                    object_label=f"Import of {job.filename}",
                    detail=f"{report['created_count']} created, {report['updated_count']} updated",
                )
    except ImportBusyError:
        IncidentImport.objects.filter(pk=job_id, status=running).update(status=waiting)
        raise
    except Exception:
        logger.exception("Incident import %s stopped", job_id)
        _mark_failed(claimed, running, dry_run)
        raise
    # The speed is for whoever runs the service (sizing workers), not for the analyst's page.
    if job.report.get("seconds") is not None:
        logger.info(
            "Incident import %s %s: %s rows in %s s (%s rows per second)",
            job.public_id,
            job.get_status_display().lower(),
            job.report.get("rows"),
            job.report.get("seconds"),
            job.report.get("rows_per_second"),
        )
    return job


def import_job_create(*, actor: User, agency: Agency, filename: str, content: str) -> IncidentImport:
    """Save an upload as a job waiting to be checked. A file holding NUL characters cannot be stored
    as text: it is refused at once, with the row and column of each, as the check would report it."""
    filename = filename.replace("\x00", "")[:200]
    if "\x00" not in content:
        return IncidentImport.objects.create(
            agency=agency,
            uploaded_by=actor,
            filename=filename,
            content=content,
            status=ImportStatus.WAITING_CHECK,
            rows_total=count_rows(content),
        )
    report = incident_import(actor=actor, agency=agency, content=content, dry_run=True)
    if not report["errors"]:  # not expected: the check reports every NUL it reads
        line = content[: content.index("\x00")].count("\n") + 1
        report["errors"] = [{"row": line, "column": "", "message": "This line holds a NUL character: remove it"}]
    return IncidentImport.objects.create(
        agency=agency,
        uploaded_by=actor,
        filename=filename,
        content="",
        status=ImportStatus.REFUSED,
        rows_total=count_rows(content),
        report=report,
        finished_at=timezone.now(),
    )


def import_job_start(*, actor: User, job: IncidentImport, dry_run: bool) -> IncidentImport:
    """Run small files now; queue large ones for the worker (sent after the job row commits).

    Never fails once the job is saved: an error in a file run now is on the job (failed, with a way
    to run it again); a worker or broker that is down leaves it waiting for the resume job."""
    from .tasks import run_incident_import

    waiting = ImportStatus.WAITING_CHECK if dry_run else ImportStatus.WAITING_IMPORT
    # Not once its file is removed (import_content_purge, which locks the row and checks the status).
    if not IncidentImport.objects.filter(pk=job.pk, content_removed_at__isnull=True).update(
        status=waiting, queued_at=timezone.now()
    ):
        raise InvalidTransitionError(_file_removed_message(job))
    background = job.rows_total > INLINE_ROWS
    if not background:
        try:
            import_job_run(job.pk, dry_run=dry_run, lock_wait_seconds=INLINE_LOCK_WAIT_SECONDS)
        except ImportBusyError:
            background = True  # another import is being written: the worker runs this one after it
        except Exception:  # noqa: BLE001 - logged by import_job_run; the job says it failed
            logger.info("Incident import %s failed while the analyst waited; its page offers to run it again", job.pk)
    if background:
        import_progress_set(job.public_id, "waiting", 0, job.rows_total)
        from dacrre.core.tasks import enqueue_after_commit

        enqueue_after_commit(run_incident_import, job.pk, dry_run)
    job.refresh_from_db()
    return job


def import_job_run_again(*, actor: User, job: IncidentImport) -> IncidentImport:
    """Run a failed or stalled job again from its stored file: no new upload. A failed check is
    checked again; a failed import is imported again (it builds its plan afresh, so nothing that a
    rolled-back run wrote is counted twice)."""
    if job.status == ImportStatus.FAILED:
        dry_run = job.report.get("failed") == "check"
        report = {key: value for key, value in job.report.items() if key not in {"failure", "failed"}}
        waiting = ImportStatus.WAITING_CHECK if dry_run else ImportStatus.WAITING_IMPORT
        if not IncidentImport.objects.filter(
            pk=job.pk, status=ImportStatus.FAILED, content_removed_at__isnull=True
        ).update(status=waiting, report=report):
            job.refresh_from_db(fields=["status", "content_removed_at"])
            if job.content_removed_at is not None:
                raise InvalidTransitionError(_file_removed_message(job))
            raise ConflictError("This import has already been started again.")
        return import_job_start(actor=actor, job=job, dry_run=dry_run)
    if job.in_progress and import_progress_get(job).stalled:
        dry_run = job.status in {ImportStatus.WAITING_CHECK, ImportStatus.CHECKING}
        return import_job_start(actor=actor, job=job, dry_run=dry_run)
    raise InvalidTransitionError("This import is running or has finished: there is nothing to run again.")


def import_jobs_resume() -> int:
    """Send again any job whose message was lost (broker down when queued) or whose worker died:
    the jobs the page shows as stalled."""
    from dacrre.core.tasks import enqueue_after_commit

    from .tasks import run_incident_import

    resumed = 0
    for job in IncidentImport.objects.filter(status__in=IMPORT_IN_PROGRESS).only(
        "pk", "public_id", "status", "uploaded_at", "queued_at", "started_at", "rows_total"
    ):
        if import_progress_get(job).stalled:
            dry_run = job.status in {ImportStatus.WAITING_CHECK, ImportStatus.CHECKING}
            enqueue_after_commit(run_incident_import, job.pk, dry_run)
            resumed += 1
    return resumed


def _file_removed_message(job: IncidentImport) -> str:
    job.refresh_from_db(fields=["content_removed_at"])
    when = timezone.localtime(job.content_removed_at) if job.content_removed_at else timezone.localtime()
    return f"The uploaded file was removed on {when:%-d %B %Y}: upload the file again to check and import it."


def _due_for_removal(now: datetime.datetime) -> Q:
    done_before = now - datetime.timedelta(days=settings.IMPORT_CONTENT_RETENTION_DAYS)
    not_done_before = now - datetime.timedelta(days=settings.IMPORT_FAILED_CONTENT_RETENTION_DAYS)
    return Q(content_removed_at__isnull=True) & (
        Q(status__in=IMPORT_DONE, finished_at__lte=done_before)
        | Q(status__in=IMPORT_NOT_DONE, finished_at__lte=not_done_before)
    )


def import_content_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove the uploaded file (names, dates of birth, police identifiers) of every import that
    finished IMPORT_CONTENT_RETENTION_DAYS ago (imported, or checked and never imported), or
    IMPORT_FAILED_CONTENT_RETENTION_DAYS ago when it was refused or failed. The job row stays with
    its counts and errors, without any value the file held. A job that is running, or was started
    again, keeps its file: each row is locked and checked again before its file is removed, and
    starting a job refuses one whose file is gone. Idempotent; returns the files removed."""
    now = now or timezone.now()
    removed = 0
    for pk in list(IncidentImport.objects.filter(_due_for_removal(now)).values_list("pk", flat=True)):
        with transaction.atomic():
            job = (
                IncidentImport.objects.select_for_update()
                .filter(_due_for_removal(now), pk=pk)
                .only("pk", "report", "content", "content_removed_at")
                .first()
            )
            if job is None:
                continue  # started again, or removed by another run, since the list was read
            job.content = ""
            job.report = report_without_file_values(job.report)
            job.content_removed_at = now
            job.save(update_fields=["content", "report", "content_removed_at"])
            removed += 1
    if removed:
        logger.info("Uploaded files of %s incident imports removed", removed)
    return removed
