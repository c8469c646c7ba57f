import uuid

from django.db.models import Count, QuerySet

from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError

from .models import CandidateStatus, DuplicateCandidate, Person
from .rules import can_review_duplicates


def duplicate_candidate_get_for(user: User, public_id: uuid.UUID | str) -> DuplicateCandidate:
    """A pair raised by the user's force, whatever its status."""
    pair = None
    if can_review_duplicates(user) and user.agency_id is not None:
        pairs = DuplicateCandidate.objects.filter(agency_id=user.agency_id).select_related(
            "first", "second", "decided_by"
        )
        pair = pairs.filter(public_id=public_id).first()
    if pair is None:
        raise NotFoundError("No such pair.")
    return pair


def duplicate_candidates_for(user: User, *, status: str = CandidateStatus.OPEN) -> QuerySet[DuplicateCandidate]:
    """Pairs raised by the user's force. Open pairs where either record has since been merged into
    a third are held back until that merge is reversed."""
    if not can_review_duplicates(user) or user.agency_id is None:
        return DuplicateCandidate.objects.none()
    pairs = DuplicateCandidate.objects.filter(agency_id=user.agency_id, status=status).select_related(
        "first", "second", "decided_by"
    )
    if status == CandidateStatus.OPEN:
        pairs = pairs.filter(first__merged_into__isnull=True, second__merged_into__isnull=True)
    return pairs


def people_with_involvement(person_ids: list[int]) -> dict[int, Person]:
    """The two records of a pair with what hangs off each: roles, incidents and cases (no contact
    details: the comparison is made on identity alone)."""
    people = Person.objects.filter(pk__in=person_ids).select_related("perpetrator", "victim", "child", "merged_into")
    annotated = people.annotate(
        incidents_as_perpetrator=Count("perpetrator__incidents", distinct=True),
        incidents_as_victim=Count("victim__incidents", distinct=True),
        cases_as_perpetrator=Count("perpetrator__cases", distinct=True),
        cases_as_victim=Count("victim__case_links", distinct=True),
    )
    return {person.pk: person for person in annotated}
