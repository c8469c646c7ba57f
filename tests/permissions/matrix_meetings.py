"""Meeting pages in the permission matrix: a MARAC chaired by the case's owning force, attended by
the IDVA service, with the case on the agenda and an action for the IDVA service."""

from django.utils import timezone

from meetings.models import MeetingKind
from meetings.services import meeting_action_assign, meeting_add_case, meeting_schedule
from tests.permissions.test_matrix import ACTORS


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
    chair_caseworkers = {"assigned_officer", "area_supervisor", "unassigned_officer"}
    sees_meeting = chair_caseworkers | {"granted_idva"}
    managers_seeing_case = {"assigned_officer", "area_supervisor"}
    return {
        "meetings:list": ("get", [], dict.fromkeys(ACTORS, 200)),
        "meetings:actions": ("get", [], dict.fromkeys(ACTORS, 200)),
        "meetings:detail": ("get", [meeting.public_id], {a: 200 if a in sees_meeting else 404 for a in ACTORS}),
        # Empty bodies: the chair agency's caseworkers get the form back with errors.
        "meetings:change": (
            "post",
            [meeting.public_id, "add-case"],
            {a: 200 if a in chair_caseworkers else 403 if a in sees_meeting else 404 for a in ACTORS},
        ),
        "meetings:item_change": (
            "post",
            [item.public_id, "discussion"],
            {a: 200 if a in managers_seeing_case else 403 if a == "granted_idva" else 404 for a in ACTORS},
        ),
        "meetings:action_complete": (
            "post",
            [action.public_id],
            {a: 200 if a == "granted_idva" else 404 for a in ACTORS},
        ),
    }
