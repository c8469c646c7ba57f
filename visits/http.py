"""The one way a page reaches a visit: fetch, decide, log, in one call (cases/http.py explains the
pattern). A visit the user may not see (a victim visit, for a perpetrator-side user) answers as a
missing one."""

import uuid

from django.http import HttpRequest

from cases.http import Can, case_record_for
from cases.models import Case

from .models import Visit
from .selectors import visits_visible_to


def visit_for(
    request: HttpRequest,
    case_id: uuid.UUID | str,
    public_id: uuid.UUID | str,
    *,
    what: str,
    can: Can = None,
    writing: bool = False,
) -> tuple[Case, Visit]:
    """The case and its visit for the page `what`, logged as the visit."""
    return case_record_for(
        request,
        case_id,
        public_id,
        lambda case: visits_visible_to(request.user, case).prefetch_related("officers"),  # type: ignore[arg-type]
        what=what,
        can=can,
        writing=writing,
        missing="Visit not found.",
    )
