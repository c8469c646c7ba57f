"""The one way a page reaches a victim and their contact details: fetch, decide, log, in one call
(cases/http.py explains the pattern). A victim that does not exist and one the user may not see
answer the same 404."""

import uuid

from django.http import Http404, HttpRequest

from cases.selectors import case_list_annotated, cases_visible_to
from dacrre.audit.access import Shown, record_access
from dacrre.audit.models import AccessAction
from dacrre.core.exceptions import NotFoundError

from .models import Child, ChildConfidential, Victim, VictimConfidential
from .selectors import (
    case_victims_confidential_for,
    child_confidential_for,
    child_get_for,
    victim_confidential_for,
    victim_get_for,
)


def victim_for(request: HttpRequest, public_id: uuid.UUID | str, *, what: str, cases: bool = False) -> Victim:
    """The victim for the page `what`, logged; with `cases`, the cases the user sees them on (as
    `victim.cases_shown`), each perpetrator logged as shown."""
    try:
        victim = victim_get_for(request.user, public_id)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    shown: list[Shown] = []
    if cases:
        victim.cases_shown = list(  # type: ignore[attr-defined]
            case_list_annotated(cases_visible_to(request.user).filter(victims=victim))  # type: ignore[arg-type]
        )
        shown = [Shown("Perpetrator", case.perpetrator.person, case.reference) for case in victim.cases_shown]  # type: ignore[attr-defined]
    record_access(request, victim, what=what, shown=shown)
    return victim


def victim_confidential_shown(request: HttpRequest, victim: Victim) -> VictimConfidential | None:
    """The victim's contact details if the user may see them, logged as a confidential view."""
    confidential = victim_confidential_for(request.user, victim)  # type: ignore[arg-type]
    if confidential is not None:
        record_access(request, victim, action=AccessAction.VIEW_CONFIDENTIAL, what="Contact details")
    return confidential


def child_for(request: HttpRequest, public_id: uuid.UUID | str, *, what: str) -> Child:
    """The child for the page `what`, logged; a child in no case the user sees answers 404."""
    try:
        child = child_get_for(request.user, public_id)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    record_access(request, child, what=what)
    return child


def child_confidential_shown(request: HttpRequest, child: Child) -> ChildConfidential | None:
    """The child's school if the user may see it, logged as a confidential view."""
    confidential = child_confidential_for(request.user, child)  # type: ignore[arg-type]
    if confidential is not None:
        record_access(request, child, action=AccessAction.VIEW_CONFIDENTIAL, what="School")
    return confidential


def confidential_changed(request: HttpRequest, record: Victim | Child, *, fields: list[str]) -> None:
    """A change of contact details (or a school), logged with the names of the fields changed (the
    values are in the record's history)."""
    record_access(
        request,
        record,
        action=AccessAction.VIEW_CONFIDENTIAL,
        what="Contact details changed" if isinstance(record, Victim) else "School changed",
        detail="changed: " + (", ".join(fields) or "nothing"),
    )


def case_victims_confidential_shown(request: HttpRequest, case: object) -> dict[int, VictimConfidential]:
    """The contact details of the victims of one case, by victim id, where the user may see them on
    that case (`case_victim_contact_allowed`), each logged as a confidential view. One query to read."""
    details = case_victims_confidential_for(request.user, case)  # type: ignore[arg-type]
    for confidential in details:
        record_access(request, confidential.victim, action=AccessAction.VIEW_CONFIDENTIAL, what="Contact details")
    return {confidential.victim_id: confidential for confidential in details}
