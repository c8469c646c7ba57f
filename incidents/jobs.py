"""Running an incident import as a background job that the analyst can leave and come back to.

The job row (`IncidentImport`) is the source of truth: its status says where the job is, and the
import's data and its final status commit in one transaction, so a worker killed mid-import leaves
nothing half-written and the job is simply run again (the import is idempotent). Progress is
ephemeral and kept in the cache, which the page polls.
"""

import datetime
import logging
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from dacrre.accounts.models import User
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record

from .models import IMPORT_IN_PROGRESS, ImportStatus, IncidentImport
from .services import incident_import

logger = logging.getLogger(__name__)

# Files up to this many rows are checked and imported while the analyst waits (a second or two);
# larger ones go to the background worker.
INLINE_ROWS = 2000
PROGRESS_TIMEOUT = 24 * 3600
# A running job whose progress has not moved for this long lost its worker: it is sent again.
STALLED_AFTER = datetime.timedelta(minutes=10)
WAITING_AFTER = datetime.timedelta(minutes=5)


def _progress_key(job_public_id: object) -> str:
    return f"incident-import:{job_public_id}:progress"


def import_progress_set(job_public_id: object, phase: str, done: int, total: int) -> None:
    cache.set(
        _progress_key(job_public_id),
        {"phase": phase, "done": done, "total": total, "at": timezone.now().isoformat()},
        PROGRESS_TIMEOUT,
    )


def import_progress_get(job: IncidentImport) -> dict[str, Any]:
    progress = cache.get(_progress_key(job.public_id)) or {}
    total = progress.get("total") or job.rows_total
    done = min(progress.get("done", 0), total) if total else 0
    return {
        "phase": progress.get("phase", ""),
        "done": done,
        "total": total,
        "percent": int(done * 100 / total) if total else 0,
        "at": progress.get("at"),
    }


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


def import_job_run(job_id: int, *, dry_run: bool) -> IncidentImport | None:
    """Check or import one job. Safe to call twice or after a crash: the row lock and the status
    make a second run wait and then do nothing, and a rolled-back run starts again cleanly."""
    waiting, running = (
        (ImportStatus.WAITING_CHECK, ImportStatus.CHECKING)
        if dry_run
        else (ImportStatus.WAITING_IMPORT, ImportStatus.IMPORTING)
    )
    job = _claim(job_id, waiting, running)
    if job is None:
        return None
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
                progress=lambda phase, done, total: import_progress_set(job.public_id, phase, done, total),
            )
            if report["errors"]:
                job.status = ImportStatus.REFUSED
            elif dry_run:
                job.status = ImportStatus.CHECKED
            else:
                job.status, job.imported_at = ImportStatus.IMPORTED, timezone.now()
            job.report = report
            job.save(update_fields=["status", "report", "imported_at"])
            if job.status == ImportStatus.IMPORTED:
                access_log_record(
                    user=job.uploaded_by,
                    action=AccessAction.COLLECT,
                    object_type="incident import",
                    object_id=job.public_id,
                    object_label=f"Import of {job.filename}",
                    detail=f"{report['created_count']} created, {report['updated_count']} updated",
                )
    except Exception:
        logger.exception("Incident import %s stopped", job_id)
        IncidentImport.objects.filter(pk=job_id, status=running).update(
            status=ImportStatus.FAILED,
            report={"errors": [], "failure": "The job stopped with an error. Nothing was imported: start it again."},
        )
        raise
    return job


def import_job_start(*, actor: User, job: IncidentImport, dry_run: bool) -> IncidentImport:
    """Run small files now; queue large ones for the worker (sent after the job row commits)."""
    from .tasks import run_incident_import

    waiting = ImportStatus.WAITING_CHECK if dry_run else ImportStatus.WAITING_IMPORT
    IncidentImport.objects.filter(pk=job.pk).update(status=waiting)
    if job.rows_total <= INLINE_ROWS:
        import_job_run(job.pk, dry_run=dry_run)
    else:
        import_progress_set(job.public_id, "waiting", 0, job.rows_total)
        from dacrre.core.tasks import enqueue_after_commit

        enqueue_after_commit(run_incident_import, job.pk, dry_run)
    job.refresh_from_db()
    return job


def import_jobs_resume() -> int:
    """Send again any job whose message was lost (broker down when queued) or whose worker died."""
    from dacrre.core.tasks import enqueue_after_commit

    from .tasks import run_incident_import

    now = timezone.now()
    resumed = 0
    waiting = {ImportStatus.WAITING_CHECK, ImportStatus.WAITING_IMPORT}
    for job in IncidentImport.objects.filter(status__in=IMPORT_IN_PROGRESS).only(
        "pk", "public_id", "status", "uploaded_at", "started_at", "rows_total"
    ):
        progress = import_progress_get(job)
        moved = progress["at"]
        last_moved = datetime.datetime.fromisoformat(moved) if moved else job.started_at or job.uploaded_at
        limit = WAITING_AFTER if job.status in waiting else STALLED_AFTER
        if now - last_moved > limit:
            dry_run = job.status in {ImportStatus.WAITING_CHECK, ImportStatus.CHECKING}
            enqueue_after_commit(run_incident_import, job.pk, dry_run)
            resumed += 1
    return resumed
