import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import Case, CaseStatus, ChronologyEntry, ChronologyVisibility, RiskLevel
from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError
from incidents.models import Incident

from .models import ActionStatus, AgendaItem, Meeting, MeetingAction
from .rules import can_take_part_in_meetings


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """The chair agency's and the attending agencies' meetings, for their caseworkers (not for
    auditors, analysts or administrators). Each agenda item is shown only if its case is visible."""
    if not can_take_part_in_meetings(user):
        return Meeting.objects.none()
    return Meeting.objects.filter(
        Q(chair_agency_id=user.agency_id) | Q(attending_agencies__id=user.agency_id)
    ).distinct()


def meeting_get_for(user: User, public_id: uuid.UUID | str) -> Meeting:
    try:
        return meetings_visible_to(user).select_related("chair_agency").get(public_id=public_id)
    except (Meeting.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Meeting not found.") from exc


def agenda_visible_to(user: User, meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.agenda.filter(case__in=cases_visible_to(user))


def agenda_item_get_for(user: User, public_id: uuid.UUID | str) -> AgendaItem:
    try:
        return AgendaItem.objects.select_related("meeting", "case__perpetrator__person").get(
            public_id=public_id, meeting__in=meetings_visible_to(user), case__in=cases_visible_to(user)
        )
    except (AgendaItem.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Agenda item not found.") from exc


def repeat_marac_q() -> Q:
    """A new incident within 12 months of the case's last MARAC referral."""
    return Q(
        Exists(
            Incident.objects.filter(
                perpetrator_id=OuterRef("perpetrator_id"),
                occurred_at__date__gt=OuterRef("last_marac_referral_on"),
                occurred_at__date__lte=OuterRef("last_marac_referral_on") + datetime.timedelta(days=365),
            )
        )
    ) & Q(last_marac_referral_on__isnull=False)


def agenda_suggestions(user: User, meeting: Meeting) -> QuerySet[Case]:
    """High-risk and repeat-MARAC cases of the chair agency that are not on the agenda yet."""
    return (
        cases_visible_to(user)
        .filter(owning_agency_id=meeting.chair_agency_id)
        .exclude(status=CaseStatus.CLOSED)
        .exclude(agenda_items__meeting=meeting)
        .filter(Q(risk_level=RiskLevel.HIGH) | repeat_marac_q())
        .select_related("perpetrator__person", "area")
        .order_by(F("last_marac_referral_on").desc(nulls_last=True), "reference")[:20]
    )


def actions_for_agency_of(user: User) -> QuerySet[MeetingAction]:
    """The agency's task list of meeting actions, open first and soonest due first: for its
    caseworkers (the same people who see its meetings)."""
    if not can_take_part_in_meetings(user):
        return MeetingAction.objects.none()
    return (
        MeetingAction.objects.filter(assigned_agency_id=user.agency_id)
        .select_related("agenda_item__case", "agenda_item__meeting")
        .order_by("-status", "due_on")
        .filter(Q(status=ActionStatus.OPEN) | Q(completed_at__isnull=False))
    )


def meeting_open_actions(meeting: Meeting) -> QuerySet[MeetingAction]:
    """Actions of the meeting still to be done: it cannot conclude while there are any."""
    return MeetingAction.objects.filter(agenda_item__meeting=meeting, status=ActionStatus.OPEN)


@dataclass(frozen=True)
class PanelOverview:
    since: datetime.date
    previous: Meeting | None
    items: Sequence[AgendaItem]  # each with incidents_since, notes_since, returning
    actions_by_agency: list[Any]


def panel_overview(user: User, meeting: Meeting) -> PanelOverview:
    """The co-ordinator's view of a panel: what changed for each case on the agenda since the chair's
    previous meeting of the kind (incidents, chronology entries the user may see, whether it was on
    that agenda), and the open actions on these cases per agency. Four queries whatever the agenda."""
    previous = (
        Meeting.objects.filter(kind=meeting.kind, chair_agency_id=meeting.chair_agency_id, held_on__lt=meeting.held_on)
        .order_by("-held_on")
        .first()
    )
    since = previous.held_on if previous is not None else meeting.held_on - datetime.timedelta(days=28)
    moment = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    entries = ChronologyEntry.objects.filter(case=OuterRef("case_id"), occurred_at__gte=moment)
    if user.is_perpetrator_side:
        entries = entries.filter(visibility=ChronologyVisibility.ALL)
    items = list(
        agenda_visible_to(user, meeting)
        .select_related("case__perpetrator__person")
        .annotate(
            incidents_since=_count(
                Incident.objects.filter(perpetrator_id=OuterRef("case__perpetrator_id"), occurred_at__gte=moment),
                "perpetrator_id",
            ),
            notes_since=_count(entries, "case_id"),
            returning=Exists(AgendaItem.objects.filter(meeting=previous, case_id=OuterRef("case_id")))
            if previous is not None
            else Value(False),
        )
        .order_by("case__reference")
    )
    today = timezone.localdate()
    actions_by_agency = list(
        MeetingAction.objects.filter(
            agenda_item__case_id__in=[item.case_id for item in items], status=ActionStatus.OPEN
        )
        .values("assigned_agency__name")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)), next_due=Min("due_on"))
        .order_by("assigned_agency__name")
    )
    return PanelOverview(since=since, previous=previous, items=items, actions_by_agency=actions_by_agency)


def _count(queryset: QuerySet, correlated: str) -> Coalesce:
    """How many rows of `queryset` (correlated to the outer row on `correlated`): 0 for none."""
    counted = queryset.order_by().values(correlated).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
