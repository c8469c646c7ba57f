import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import ProtectiveOrder


def orders_ending_within(days: int, today: datetime.date | None = None) -> QuerySet[ProtectiveOrder]:
    """Orders and conditions ending in the next `days` days (set-based; the reminders sweep uses it).
    Callers restrict it to visible cases when they show it to a user."""
    today = today or timezone.localdate()
    return ProtectiveOrder.objects.filter(ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=days))
