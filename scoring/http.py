"""The one way a page reaches a tasking list: fetch, decide, log, in one call (cases/http.py
explains the pattern). Scores and tasking lists are the force's analysts' and supervisors'."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from dacrre.accounts.models import Agency, User
from dacrre.audit.access import record_for

from .models import TaskingSnapshot
from .rules import can_view_scores
from .selectors import tasking_snapshot_get_for

SCORES_REFUSED = "Scores are available to the force's analysts and supervisors."


def scores_user(request: HttpRequest, refused: str = "") -> tuple[User, Agency]:
    """The signed-in user and their force, if they may see its scores (403 otherwise)."""
    user: User = request.user  # type: ignore[assignment]
    if not can_view_scores(user) or user.agency is None:
        raise PermissionDenied(refused or None)
    return user, user.agency


def tasking_for(request: HttpRequest, public_id: uuid.UUID | str, *, what: str) -> TaskingSnapshot:
    """One of the force's tasking lists for the page `what`, logged."""
    scores_user(request)
    return record_for(request, tasking_snapshot_get_for, public_id, what=what)
