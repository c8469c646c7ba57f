import datetime
import uuid

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from cases.models import Case, CaseStatus, RiskLevel
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
