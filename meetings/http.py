"""The one way a page reaches a meeting or an item on its agenda: fetch, decide, log, in one call
(cases/http.py explains the pattern)."""

import uuid

from django.http import HttpRequest

from dacrre.audit.access import record_for

from .models import AgendaItem, Meeting
from .selectors import agenda_item_get_for, meeting_get_for

CHAIR_ONLY = "Only the chair agency can change this meeting."


def meeting_for(
    request: HttpRequest, public_id: uuid.UUID | str, *, what: str, manage: bool = False, refused: str = CHAIR_ONLY
) -> Meeting:
    """The meeting for the page `what`, logged; with `manage`, only for the chair agency."""
    return record_for(
        request, meeting_get_for, public_id, what=what, can="meetings.manage" if manage else None, refused=refused
    )


def agenda_item_for(request: HttpRequest, public_id: uuid.UUID | str, *, what: str) -> AgendaItem:
    """An item on a meeting's agenda for the chair agency's change `what`, logged as the item."""
    return record_for(
        request,
        agenda_item_get_for,
        public_id,
        what=what,
        can="meetings.manage",
        of=lambda item: item.meeting,
        refused=CHAIR_ONLY,
    )
