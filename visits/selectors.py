from django.db.models import QuerySet

from cases.models import Case
from cases.selectors import cases_visible_to
from dacrre.accounts.models import User

from .models import Visit, VisitStatus


def _without_victim_visits_unless_victim_side(user: User, visits: QuerySet[Visit]) -> QuerySet[Visit]:
    """Visits to victims are victim-side only."""
    if user.is_perpetrator_side or user.agency_id is None:
        return visits.filter(victim__isnull=True)
    return visits


def visits_visible_to(user: User, case: Case) -> QuerySet[Visit]:
    """A case's visits for a user who can see the case."""
    visits = Visit.objects.filter(case=case).select_related("victim__person", "recorded_by")
    return _without_victim_visits_unless_victim_side(user, visits)


def visits_planned(user: User, case: Case) -> QuerySet[Visit]:
    return visits_visible_to(user, case).filter(status=VisitStatus.PLANNED).order_by("planned_for")


def visits_recent(user: User, case: Case, limit: int = 10) -> QuerySet[Visit]:
    return visits_visible_to(user, case).filter(status=VisitStatus.COMPLETED).order_by("-occurred_at")[:limit]


def visits_visible_to_user(user: User) -> QuerySet[Visit]:
    """Every visit the user may see, across the cases they see (same rule as `visits_visible_to`)."""
    visits = Visit.objects.filter(case__in=cases_visible_to(user).values("pk"))
    return _without_victim_visits_unless_victim_side(user, visits).select_related("case", "victim__person")
