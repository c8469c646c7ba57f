"""Who may do what with meetings (dacrre/accounts/predicates.py)."""

from cases.selectors import cases_visible_to
from dacrre.accounts.models import CASE_LEAD_ROLES, CASEWORK_ROLES, User
from dacrre.accounts.predicates import predicate

from .models import Meeting, MeetingAction


@predicate("meetings.take_part")
def can_take_part_in_meetings(user: User) -> bool:
    """Caseworkers of an agency see the meetings their agency chairs or attends, and their actions."""
    return bool(user.is_authenticated and user.may_read and user.agency_id is not None and user.role in CASEWORK_ROLES)


@predicate("meetings.schedule")
def can_schedule_meeting(user: User) -> bool:
    return user.agency_id is not None and user.role in CASE_LEAD_ROLES


@predicate("meetings.manage")
def can_manage_meeting(user: User, meeting: Meeting) -> bool:
    """The chair agency's officers, supervisors and IDVAs change a meeting (agenda, attendance,
    discussion, actions, concluding it), when they can see every case on its agenda: attendance
    decides which agencies are granted those cases, so only someone who may see them all decides it.
    An officer of another area, who sees none of them, cannot."""
    if user.agency_id != meeting.chair_agency_id or user.role not in CASE_LEAD_ROLES:
        return False
    return not meeting.agenda.exclude(case__in=cases_visible_to(user)).exists()


@predicate("meetings.complete_action")
def can_complete_meeting_action(user: User, action: MeetingAction) -> bool:
    return user.agency_id == action.assigned_agency_id and user.role in CASEWORK_ROLES
