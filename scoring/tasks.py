from celery import shared_task

from dacrre.accounts.models import Agency, AgencyKind

from .services import scores_refresh


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def refresh_all_scores() -> int:
    """Nightly: each police force's stored repeat-perpetrator scores."""
    return sum(scores_refresh(agency=agency) for agency in Agency.objects.filter(kind=AgencyKind.POLICE))
