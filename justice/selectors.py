"""Reads of justice outcomes: a case's crimes with their steps, the NFA review queue, and the
victims' updates given and due."""

from django.db.models import Prefetch, QuerySet

from cases.models import Case
from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from incidents.models import Incident
from reminders.models import Reminder, ReminderKind, ReminderStatus

from .models import Investigation, JusticeEvent, NfaReview, ReviewStatus, VictimUpdate


def crimes_on_case(case: Case) -> list[Incident]:
    """The perpetrator's crimes, newest first, each with `.justice` (its investigation or None) and
    its steps. Three queries."""
    crimes = list(
        Incident.objects.filter(perpetrator_id=case.perpetrator_id, is_crime=True).order_by("-occurred_at")[:200]
    )
    investigations = {
        i.incident_id: i
        for i in Investigation.objects.filter(incident__in=[c.pk for c in crimes]).prefetch_related(
            Prefetch(
                "events",
                queryset=JusticeEvent.objects.select_related("order", "recorded_by", "review__reviewer"),
            )
        )
    }
    for crime in crimes:
        crime.justice = investigations.get(crime.pk)  # type: ignore[attr-defined]
    return crimes


def nfa_reviews_awaiting(user: User) -> QuerySet[NfaReview]:
    """The NFA decisions awaiting a sergeant's review on the cases the user sees, oldest first."""
    return (
        NfaReview.objects.filter(status=ReviewStatus.AWAITING, case__in=cases_visible_to(user).values("pk"))
        .select_related("case__area", "event__investigation__incident", "event__recorded_by")
        .order_by("event__recorded_at", "pk")
    )


def nfa_reviews_awaiting_count(user: User) -> int:
    return nfa_reviews_awaiting(user).count()


def victim_updates_on_case(case: Case) -> tuple[list[VictimUpdate], list[Reminder]]:
    """Updates given to the case's victims, and those due (open reminders), with the victim named on
    each. Two queries."""
    given = list(VictimUpdate.objects.filter(case=case).select_related("victim__person", "given_by"))
    due = list(
        Reminder.objects.filter(case=case, kind=ReminderKind.VICTIM_CODE_UPDATE_DUE, status=ReminderStatus.OPEN)
        .select_related("assignee")
        .order_by("due_on")
    )
    victims = {v.pk: v for v in case.victims.select_related("person")}
    for reminder in due:
        victim_id = int(reminder.subject_key.split(":", 1)[1]) if reminder.subject_key.startswith("victim:") else 0
        reminder.victim = victims.get(victim_id)  # type: ignore[attr-defined]
    return given, due
