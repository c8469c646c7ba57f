from celery import shared_task

from .services import referrals_expire_access


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def expire_completed_referral_access() -> int:
    return referrals_expire_access()
