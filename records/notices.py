"""The reminder that closed cases await review: the force's data protection officers are e-mailed the
number due, at most once a week (the job runs daily; the count is in their navigation every day)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dacrre.accounts.models import Agency, Role, User

from .models import RetentionNotice
from .selectors import reviews_due_for

logger = logging.getLogger(__name__)
EVERY = datetime.timedelta(days=7)


def retention_notices_send(*, today: datetime.date | None = None) -> int:
    """E-mail each force's data protection officers how many closed cases are due for review, if any
    are and they were not told in the last week. Returns how many e-mails were sent. Idempotent: a
    second run the same day (or a second beat) sends nothing."""
    today = today or timezone.localdate()
    sent = 0
    for agency in Agency.objects.filter(is_active=True, users__role=Role.DPO, users__is_active=True).distinct():
        officers = list(User.objects.filter(agency=agency, role=Role.DPO, is_active=True).exclude(email=""))
        if not officers:
            continue
        due = reviews_due_for(officers[0], today).count()
        if not due or RetentionNotice.objects.filter(agency=agency, sent_on__gt=today - EVERY).exists():
            continue
        try:
            with transaction.atomic():
                RetentionNotice.objects.create(agency=agency, sent_on=today, due_count=due)
        except IntegrityError:
            continue  # another run told them today
        link = settings.SITE_URL.rstrip("/") + reverse("records:reviews")
        body = (
            f"{due} closed case{'s are' if due != 1 else ' is'} due for a retention review at {agency.name}.\n\n"
            f"Review them (retain with a reason and a next review date, or dispose of them): {link}\n"
        )
        try:
            send_mail(
                f"dacrre: {due} retention review{'s' if due != 1 else ''} due", body, None, [u.email for u in officers]
            )
        except Exception:  # noqa: BLE001 - the count stays in their navigation; next week's reminder goes
            logger.exception("The retention review reminder to %s could not be sent", agency.name)
            continue
        sent += len(officers)
    return sent
