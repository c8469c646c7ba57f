"""The one way a page reaches a possible duplicate: fetch, decide, log, in one call (cases/http.py
explains the pattern). Pairs are reviewed by the force's analysts and supervisors."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from dacrre.audit.access import Shown, record_for

from .models import DuplicateCandidate
from .rules import can_review_duplicates
from .selectors import duplicate_candidate_get_for

REVIEWERS_ONLY = "Possible duplicates are reviewed by the force's analysts and supervisors."


def reviewer_required(request: HttpRequest) -> None:
    if not can_review_duplicates(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(REVIEWERS_ONLY)


def pair_shown(pair: DuplicateCandidate) -> list[Shown]:
    """The two people a pair shows."""
    return [Shown("Record A", pair.first), Shown("Record B", pair.second)]


def duplicate_for(request: HttpRequest, public_id: uuid.UUID | str, *, what: str) -> DuplicateCandidate:
    """A pair of the force's records for the page `what`, logged with both people shown."""
    reviewer_required(request)
    return record_for(
        request,
        duplicate_candidate_get_for,
        public_id,
        what=what,
        shown=pair_shown,
    )
