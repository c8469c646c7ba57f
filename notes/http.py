"""The one way a page reaches a note: through its case (`cases.http.case_for`), then the note among
those of the sides the user may see, logged. A note on a side the user may not see answers as one
that does not exist (404)."""

import uuid

from django.http import Http404, HttpRequest

from cases.http import case_for
from cases.models import Case
from dacrre.audit.access import record_access

from .models import Note
from .selectors import notes_visible_to


def note_for(
    request: HttpRequest,
    case_id: uuid.UUID | str,
    public_id: uuid.UUID | str,
    *,
    what: str,
    can: str | None = None,
    writing: bool = False,
) -> tuple[Case, Note]:
    case = case_for(request, case_id, what=what, can=can, writing=writing)
    note = notes_visible_to(request.user, case).filter(public_id=public_id).first()  # type: ignore[arg-type]
    if note is None:
        raise Http404("Note not found.")
    record_access(request, note, what=what)
    return case, note
