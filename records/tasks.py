from celery import shared_task

from .notices import retention_notices_send


@shared_task(acks_late=True)
def send_retention_notices() -> int:
    """Daily: the force's data protection officers told of closed cases due for review (weekly at most)."""
    return retention_notices_send()
