"""Meetings: scheduling, the agenda (which shares each case with the attending agencies), discussion,
actions for agencies, and concluding (which ends the sharing)."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cases.access.models import GrantSource
from cases.access.services import case_access_grant, case_access_revoke
from cases.models import Case, CaseStatus, ChronologyKind, ChronologyVisibility
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import Agency, User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from reminders.models import ReminderKind
from reminders.services import reminders_close

from .models import ActionStatus, AgendaItem, Meeting, MeetingAction, MeetingKind, MeetingStatus
from .rules import can_complete_meeting_action, can_manage_meeting, can_schedule_meeting

# A meeting action is due before the next few meetings, not years away (a typed 2062 is a typo).
ACTION_DUE_WITHIN = datetime.timedelta(days=365)


def _require_manager(actor: User, meeting: Meeting) -> None:
    if not can_manage_meeting(actor, meeting):
        raise PermissionDeniedError("Only the chair agency can change this meeting.")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise InvalidTransitionError("This meeting has been concluded and can no longer be changed.")


def _share(actor: User, meeting: Meeting, case: Case, agencies: Iterable[Agency], request: HttpRequest | None) -> None:
    if case.status == CaseStatus.CLOSED:
        return  # a closed case is shared with no other agency (its grants ended at closure)
    for agency in agencies:
        if agency.pk == case.owning_agency_id:
            continue
        case_access_grant(
            actor=actor,
            case=case,
            agency=agency,
            source_kind=GrantSource.MEETING,
            source_id=meeting.public_id,
            # A MARAC shares what protects the victim with the victim-side agencies around the table;
            # rules elsewhere keep contact details from perpetrator-side agencies whatever this says.
            shares_victim_contact=meeting.kind == MeetingKind.MARAC,
            purpose=str(meeting),
            request=request,
        )


@transaction.atomic
def meeting_schedule(
    *, actor: User, kind: MeetingKind | str, held_on: datetime.date, attending_agencies: Iterable[Agency]
) -> Meeting:
    if not can_schedule_meeting(actor) or actor.agency is None:
        raise PermissionDeniedError("You cannot schedule meetings.")
    dates.MEETING_HELD.check(held_on, field="held_on")
    meeting = Meeting(kind=kind, held_on=held_on, chair_agency=actor.agency, created_by=actor)
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting.save()
    meeting.attending_agencies.set({*attending_agencies, actor.agency})
    return meeting


@transaction.atomic
def meeting_set_attendance(
    *, actor: User, meeting: Meeting, agencies: Iterable[Agency], request: HttpRequest | None = None
) -> Meeting:
    """Agencies added see the cases on the agenda; agencies removed lose that access."""
    _require_manager(actor, meeting)
    wanted = {*agencies, meeting.chair_agency}
    current = set(meeting.attending_agencies.all())
    meeting.attending_agencies.set(wanted)
    cases = [item.case for item in meeting.agenda.select_related("case")]
    for case in cases:
        _share(actor, meeting, case, wanted - current, request)
    removed = current - wanted
    if removed:
        # Revoke the meeting's grants, then give back those of the agencies still attending.
        case_access_revoke(
            actor=actor,
            source_kind=GrantSource.MEETING,
            source_id=meeting.public_id,
            reason="No longer attending the meeting",
        )
        for case in cases:
            _share(actor, meeting, case, wanted, request)
    return meeting


@transaction.atomic
def meeting_add_case(*, actor: User, meeting: Meeting, case: Case, request: HttpRequest | None = None) -> AgendaItem:
    """Put a case on the agenda: every attending agency gets access to it for the meeting's purpose."""
    case_require_open(case)
    _require_manager(actor, meeting)
    if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
        raise ApplicationError(f"Case {case.reference} is already on the agenda.", field="case_reference")
    item = AgendaItem.objects.create(meeting=meeting, case=case, added_by=actor)
    _share(actor, meeting, case, meeting.attending_agencies.all(), request)
    chronology_record(
        case=case, kind=ChronologyKind.MEETING, actor=actor, summary=f"Added to the agenda of the {meeting}."
    )
    return item


@transaction.atomic
def agenda_item_record_discussion(*, actor: User, item: AgendaItem, summary: str) -> AgendaItem:
    case_require_open(item.case)
    _require_manager(actor, item.meeting)
    if not summary.strip():
        raise ApplicationError("Enter a summary of the discussion", field="summary")
    item.discussion_summary = summary.strip()
    item._history_user = actor  # type: ignore[attr-defined]
    item.save(update_fields=["discussion_summary"])
    chronology_record(
        case=item.case,
        kind=ChronologyKind.MEETING,
        actor=actor,
        summary=f"Discussed at the {item.meeting}: {item.discussion_summary}",
        visibility=ChronologyVisibility.VICTIM_SIDE,
    )
    return item


@transaction.atomic
def meeting_action_assign(
    *, actor: User, item: AgendaItem, agency: Agency, description: str, due_on: datetime.date
) -> MeetingAction:
    case_require_open(item.case)
    _require_manager(actor, item.meeting)
    if not item.meeting.attending_agencies.filter(pk=agency.pk).exists():
        raise ApplicationError("Assign actions to an agency attending the meeting", field="agency")
    if not description.strip():
        raise ApplicationError("Describe the action", field="description")
    if due_on < item.meeting.held_on:
        raise ApplicationError("The due date must be on or after the meeting date", field="due_on")
    latest = item.meeting.held_on + ACTION_DUE_WITHIN
    if due_on > latest:
        raise ApplicationError(
            f"The due date must be within a year of the meeting (by {latest:%d/%m/%Y})", field="due_on"
        )
    dates.MEETING_ACTION_DUE.check(due_on, field="due_on")
    action = MeetingAction.objects.create(
        agenda_item=item, assigned_agency=agency, description=description.strip(), due_on=due_on, created_by=actor
    )
    chronology_record(
        case=item.case,
        kind=ChronologyKind.MEETING,
        actor=actor,
        summary=f"Action for {agency.name}, due {due_on:%d %b %Y}: {action.description}",
    )
    return action


@transaction.atomic
def meeting_action_complete(*, actor: User, action: MeetingAction, outcome: str) -> MeetingAction:
    case_require_open(action.agenda_item.case)  # before the action's lock, in the order closing takes them
    action = MeetingAction.objects.select_for_update().select_related("agenda_item__case").get(pk=action.pk)
    if not can_complete_meeting_action(actor, action):
        raise PermissionDeniedError("Only the agency the action is assigned to can complete it.")
    if action.status != ActionStatus.OPEN:
        raise InvalidTransitionError("This action has already been completed.")
    if not outcome.strip():
        raise ApplicationError("Enter the outcome of the action", field="outcome")
    action.status = ActionStatus.COMPLETED
    action.outcome = outcome.strip()
    action.completed_by = actor
    action.completed_at = timezone.now()
    action._history_user = actor  # type: ignore[attr-defined]
    action.save(update_fields=["status", "outcome", "completed_by", "completed_at"])
    reminders_close(
        case=action.agenda_item.case, kinds=[ReminderKind.MEETING_ACTION_DUE], subject_key=f"action:{action.pk}"
    )
    chronology_record(
        case=action.agenda_item.case,
        kind=ChronologyKind.MEETING,
        actor=actor,
        summary=f"Meeting action completed by {action.assigned_agency.name}: {action.outcome}",
    )
    return action


@transaction.atomic
def meeting_conclude(*, actor: User, meeting: Meeting) -> Meeting:
    """The meeting's purpose is served once every action is done: the sharing it gave ends."""
    _require_manager(actor, meeting)
    open_actions = MeetingAction.objects.filter(agenda_item__meeting=meeting, status=ActionStatus.OPEN).count()
    if open_actions:
        raise ApplicationError(f"{open_actions} action(s) are still open. Complete them before concluding.")
    meeting.status = MeetingStatus.CONCLUDED
    meeting.concluded_at = timezone.now()
    meeting._history_user = actor  # type: ignore[attr-defined]
    meeting.save(update_fields=["status", "concluded_at"])
    case_access_revoke(
        actor=actor, source_kind=GrantSource.MEETING, source_id=meeting.public_id, reason=f"{meeting} concluded"
    )
    return meeting
