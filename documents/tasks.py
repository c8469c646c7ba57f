from celery import shared_task

from .services import stored_files_remove


@shared_task(acks_late=True)
def remove_stored_files() -> int:
    """After a disposal, and every hour: files let go of are removed from the store (idempotent)."""
    return stored_files_remove()
