"""The one way a page, download or API view reaches a case: fetch it, decide, log, in one call.

A case that does not exist and one the user may not see answer the same 404; a case the user sees
but may not do this to answers 403; a write to a closed case goes back to its page with the reason.
The access-log row (and one per victim and child the page names, with `people=True`) is written
here, before anything of the case is shown.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from dacrre.accounts.models import User
from dacrre.accounts.predicates import can as may
from dacrre.audit.access import Shown, record_access
from dacrre.audit.models import AccessAction
from dacrre.core.exceptions import NotFoundError

from .access.models import BreakGlassAccess
from .models import Case
from .selectors import AccessBasis, case_access_basis, case_get_for, child_schools_for
from .services import case_require_open


def case_for(
    request: HttpRequest,
    public_id: uuid.UUID | str,
    *,
    what: str,
    can: str | None = None,
    writing: bool = False,
    people: bool = False,
    action: AccessAction = AccessAction.VIEW,
) -> Case:
    """The case for the page `what` ("Case page", "Visit form"...), logged.

    `can` names the predicate the user must meet for this page (`cases.record_visit`...);
    `writing` refuses a closed case; `people` loads the case's victims and children (ordered, as
    `case.victims_shown` and `case.children_shown`) and logs each as shown. Why the user sees the
    case is kept as `case.access_basis`. Access by break glass is
    flagged for review with its reason."""
    user: User = request.user  # type: ignore[assignment]
    try:
        case = case_get_for(user, public_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if can is not None and not may(user, can, case):
        raise PermissionDenied("You cannot do this on this case.")
    if writing:
        case_require_open(case, lock=False)
    basis = case.access_basis = case_access_basis(user, case)  # type: ignore[attr-defined]
    reason = ""
    if basis is AccessBasis.BREAK_GLASS:
        opened = BreakGlassAccess.objects.filter(user=user, case=case).order_by("-opened_at").first()
        reason = opened.reason if opened else ""
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
    record_access(
        request,
        case,
        action=action,
        what=what,
        detail=f"access: {basis.value}",
        reason=reason,
        flagged_for_review=basis is AccessBasis.BREAK_GLASS,
        shown=shown,
    )
    return case


def child_schools_shown(request: HttpRequest, case: Case) -> dict[int, str]:
    """The children's schools on the case for a user who may see them, logged as a confidential view."""
    schools = child_schools_for(request.user, case)  # type: ignore[arg-type]
    if schools:
        record_access(request, case, action=AccessAction.VIEW_CONFIDENTIAL, what="Children's schools")
    return schools


def case_or_404(user: User, public_id: object) -> Case:
    """Being replaced by `case_for` (which also decides and logs); kept until every page uses it."""
    try:
        return case_get_for(user, public_id)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
