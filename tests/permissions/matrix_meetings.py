"""Meeting pages in the permission matrix: a MARAC chaired by the case's owning force, attended by
the IDVA service, with the case on the agenda and an action for the IDVA service.

Who may change a meeting (docs/permissions.md, section 7): the chair agency's officers, supervisors and
IDVAs who see every case on its agenda. The force's users who see the meeting but not the case on it
(an officer of the same area not assigned to it, a supervisor of another area) cannot."""

from django.utils import timezone

from meetings.models import MeetingKind
from meetings.services import meeting_action_assign, meeting_add_case, meeting_schedule
from tests.permissions.test_matrix import (
    ACTORS,
    FORCE_CASEWORKERS,
    OWNING_CASEWORKERS,
    VICTIM_SIDE_PARTNERS,
)

# Who may schedule a meeting: officers, supervisors and IDVAs of any agency.
SCHEDULERS = FORCE_CASEWORKERS | VICTIM_SIDE_PARTNERS | {"other_force_inspector"}


def _meeting(world):
    if getattr(world, "_meeting", None) is None:
        chair = world.case.spoc
        idva = world.users.get("granted_idva")
        attending = [idva.agency] if idva else []
        meeting = meeting_schedule(
            actor=chair, kind=MeetingKind.MARAC, held_on=timezone.localdate(), attending_agencies=attending
        )
        item = meeting_add_case(actor=chair, meeting=meeting, case=world.case)
        action = meeting_action_assign(
            actor=chair,
            item=item,
            agency=idva.agency if idva else chair.agency,
            description="Safety planning",
            due_on=timezone.localdate(),
        )
        world._meeting = (meeting, item, action)
    return world._meeting


def entries(world) -> dict:
    meeting, item, action = _meeting(world)
    sees_meeting = FORCE_CASEWORKERS | VICTIM_SIDE_PARTNERS
    managers = OWNING_CASEWORKERS  # the chair agency's caseworkers who see the case on the agenda
    every = dict.fromkeys(ACTORS, 200)
    return {
        # Scheduling (POST) is for officers, supervisors and IDVAs; an empty form comes back with errors.
        "meetings:list": ("get", [], every, {a: 200 if a in SCHEDULERS else 403 for a in ACTORS}),
        "meetings:actions": ("get", [], every),
        "meetings:detail": ("get", [meeting.public_id], {a: 200 if a in sees_meeting else 404 for a in ACTORS}),
        "meetings:overview": ("get", [meeting.public_id], {a: 200 if a in sees_meeting else 404 for a in ACTORS}),
        # Empty bodies: those who may change the meeting get the form back with errors.
        "meetings:change": (
            "post",
            [meeting.public_id, "add-case"],
            {a: 200 if a in managers else 403 if a in sees_meeting else 404 for a in ACTORS},
        ),
        # The confirmation before concluding; a POST is refused while an action is open (shown on the page).
        "meetings:conclude": (
            "get",
            [meeting.public_id],
            {a: 200 if a in managers else 403 if a in sees_meeting else 404 for a in ACTORS},
        ),
        "meetings:item_change": (
            "post",
            [item.public_id, "discussion"],
            {a: 200 if a in managers else 403 if a in VICTIM_SIDE_PARTNERS else 404 for a in ACTORS},
        ),
        "meetings:action_complete": (
            "post",
            [action.public_id],
            {a: 200 if a in VICTIM_SIDE_PARTNERS else 404 for a in ACTORS},
        ),
    }
