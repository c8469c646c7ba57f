"""The one way a page reaches a visit: fetch, decide, log, in one call (cases/http.py explains the
pattern). A visit the user may not see (a victim visit, for a perpetrator-side user) answers as a
missing one."""

import uuid

from django.http import HttpRequest

from cases.http import case_record_for
from cases.models import Case

from .models import Visit
from .selectors import visits_visible_to


def visit_for(
    request: HttpRequest,
    case_id: uuid.UUID | str,
    public_id: uuid.UUID | str,
    *,
    what: str,
    can: str | None = None,
    writing: bool = False,
) -> tuple[Case, Visit]:
    """The case and its visit for the page `what`, logged as the visit."""

    def find(case: Case) -> Visit | None:
        visit = visits_visible_to(request.user, case).prefetch_related("officers").filter(public_id=public_id).first()  # type: ignore[arg-type]
        if visit is not None:
            visit.case = case
        return visit

    return case_record_for(request, case_id, find, what=what, can=can, writing=writing, missing="Visit not found.")
