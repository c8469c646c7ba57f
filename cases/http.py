"""The one way a page, download or API view reaches a case: fetch it, decide, log, in one call.

A case that does not exist and one the user may not see answer the same 404; a case the user sees
but may not do this to answers 403; a write to a closed case goes back to its page with the reason.
The access-log row (and one per victim and child the page names, with `people=True`) is written
here, before anything of the case is shown.

A record that belongs to a case (a visit, an order, a disclosure, a safety plan...) is reached the
same way through `case_record_for`, which its app's `http.py` wraps (`visits.http.visit_for`...): the
case is decided as above, then the record found on it, and the one log row names the record.
"""

import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from dacrre.accounts.models import User
from dacrre.accounts.predicates import can as may
from dacrre.audit.access import Describable, Shown, record_access
from dacrre.audit.models import AccessAction
from dacrre.core.exceptions import NotFoundError

from .access.models import BreakGlassAccess
from .models import Case
from .selectors import AccessBasis, case_access_basis, case_get_for, child_schools_for
from .services import case_require_open

R = TypeVar("R", bound=Model)
Can = str | tuple[str, ...] | None


def case_decided(
    request: HttpRequest, public_id: uuid.UUID | str, *, can: Can, writing: bool, refused: str = ""
) -> Case:
    """Fetch and decide, without logging (for a kind's fetcher, which logs its record with
    `case_record_logged`; pages call the fetchers): 404 for missing and hidden alike, 403 unless
    every predicate `can` names holds, the closed-case refusal when `writing`. Why the user sees
    the case is kept as `case.access_basis`."""
    user: User = request.user  # type: ignore[assignment]
    try:
        case = case_get_for(user, public_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if not all(may(user, name, case) for name in ((can,) if isinstance(can, str) else can or ())):
        raise PermissionDenied(refused or "You cannot do this on this case.")
    if writing:
        case_require_open(case, lock=False)
    case.access_basis = case_access_basis(user, case)  # type: ignore[attr-defined]
    return case


def case_record_logged(
    request: HttpRequest,
    case: Case,
    record: Case | Describable,
    *,
    what: str,
    action: AccessAction | str,
    shown: Iterable[Shown] = (),
) -> None:
    """The log row for `record` on `case`: why the case is seen, and access by break glass flagged
    for review with its reason."""
    basis: AccessBasis = case.access_basis  # type: ignore[attr-defined]
    reason = ""
    if basis is AccessBasis.BREAK_GLASS:
        user: User = request.user  # type: ignore[assignment]
        opened = BreakGlassAccess.objects.filter(user=user, case=case).order_by("-opened_at").first()
        reason = opened.reason if opened else ""
    record_access(
        request,
        record,
        action=action,
        what=what,
        detail=f"access: {basis.value}",
        reason=reason,
        flagged_for_review=basis is AccessBasis.BREAK_GLASS,
        shown=shown,
    )


def case_for(
    request: HttpRequest,
    public_id: uuid.UUID | str,
    *,
    what: str,
    can: Can = None,
    writing: bool = False,
    people: bool = False,
    refused: str = "",
    action: AccessAction = AccessAction.VIEW,
) -> Case:
    """The case for the page `what` ("Case page", "Visit form"...), logged.

    `can` names the predicate (or predicates) the user must meet for this page (`cases.record_visit`...);
    `writing` refuses a closed case; `people` loads the case's victims and children (ordered, as
    `case.victims_shown` and `case.children_shown`) and logs each as shown. Why the user sees the
    case is kept as `case.access_basis`. Access by break glass is
    flagged for review with its reason."""
    case = case_decided(request, public_id, can=can, writing=writing, refused=refused)
    shown: list[Shown] = []
    if people:
        case.victims_shown = list(  # type: ignore[attr-defined]
            case.case_victims.select_related("victim__person").order_by("victim__person__family_name")
        )
        case.children_shown = list(  # type: ignore[attr-defined]
            case.case_children.select_related("child__person").order_by("child__person__family_name")
        )
        shown = [Shown("Victim", link.victim.person) for link in case.victims_shown]  # type: ignore[attr-defined]
        shown += [Shown("Child", link.child.person) for link in case.children_shown]  # type: ignore[attr-defined]
    case_record_logged(request, case, case, what=what, action=action, shown=shown)
    return case


def case_record_for(
    request: HttpRequest,
    case_id: uuid.UUID | str,
    public_id: uuid.UUID | str,
    records: Callable[[Case], QuerySet[R]],
    *,
    what: str,
    can: Can = None,
    writing: bool = False,
    missing: str = "Not found.",
    refused: str = "",
    action: AccessAction = AccessAction.VIEW,
    shown: Callable[[R], Iterable[Shown]] | None = None,
) -> tuple[Case, R]:
    """A record on a case for the page `what` ("Visit page", "Order form"...), logged as the record.

    The case is fetched and decided as in `case_for`; the record is the one with `public_id` among
    `records(case)`, the case's records of its kind that the user may see, or a 404 (`missing`);
    `refused` is the 403's reason when `can` does not hold.
    `shown(record)` names the people the page shows besides the record's subject."""
    case = case_decided(request, case_id, can=can, writing=writing, refused=refused)
    try:
        record = records(case).filter(public_id=public_id).first()
    except ValidationError:  # not a uuid
        record = None
    if record is None:
        raise Http404(missing)
    record.case = case  # type: ignore[attr-defined]
    case_record_logged(request, case, record, what=what, action=action, shown=shown(record) if shown else ())  # type: ignore[arg-type]  # a model with access_subject()
    return case, record


def child_schools_shown(request: HttpRequest, case: Case) -> dict[int, str]:
    """The children's schools on the case for a user who may see them, logged as a confidential view."""
    schools = child_schools_for(request.user, case)  # type: ignore[arg-type]
    if schools:
        record_access(request, case, action=AccessAction.VIEW_CONFIDENTIAL, what="Children's schools")
    return schools
