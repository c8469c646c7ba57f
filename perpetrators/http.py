"""The one way a page reaches a perpetrator: fetch, decide, log, in one call (cases/http.py explains
the pattern)."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from dacrre.accounts.predicates import can as may
from dacrre.audit.access import Shown, record_access
from dacrre.core.exceptions import NotFoundError

from .models import Perpetrator
from .selectors import incidents_with_victims_for, perpetrator_get_for


def perpetrator_for(
    request: HttpRequest, public_id: uuid.UUID | str, *, what: str, can: str | None = None, incidents: bool = False
) -> Perpetrator:
    """The perpetrator for the page `what`, logged; `can` names the predicate the user must meet for
    the page (403 otherwise); with `incidents`, their latest incidents naming only the victims the
    user may see (as `perpetrator.incidents_shown`), each victim logged."""
    try:
        perpetrator = perpetrator_get_for(request.user, public_id)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if can is not None and not may(request.user, can, perpetrator):
        raise PermissionDenied("You cannot do this for this perpetrator.")
    shown: list[Shown] = []
    if incidents:
        rows = perpetrator.incidents_shown = incidents_with_victims_for(request.user, perpetrator)  # type: ignore[arg-type,attr-defined]
        shown = [Shown("Victim", victim.person) for row in rows for victim in row.victims_shown]
    record_access(request, perpetrator, what=what, shown=shown)
    return perpetrator
