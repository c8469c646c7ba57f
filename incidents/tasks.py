from celery import shared_task

from .jobs import import_content_purge, import_job_run, import_jobs_resume


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_incident_import(job_id: int, dry_run: bool) -> str:
    job = import_job_run(job_id, dry_run=dry_run)
    return job.status if job is not None else "nothing to do"


@shared_task(acks_late=True)
def resume_incident_imports() -> int:
    return import_jobs_resume()


@shared_task(acks_late=True)
def purge_import_content() -> int:
    """Daily: uploaded files past their retention removed (idempotent)."""
    return import_content_purge()
