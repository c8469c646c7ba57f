import uuid

from django.db.models import Count, Q, QuerySet

from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError

from .matching import Identity, MatchKind, compare
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


def people_likely_matching(identity: Identity, among: QuerySet[Person], *, limit: int = 10) -> list[tuple[Person, str]]:
    """The people of `among` whom the duplicate queue's rules (people.matching) would call the same
    person or a likely one, with why, best first: shown before a new person is created, so that a
    second record is not made by accident. One query, narrowed as the import's index narrows (same
    police identifier; the same or day-and-month-swapped date of birth; the same family name and
    year of birth; the same names)."""
    among = among.filter(merged_into__isnull=True)
    narrow = Q(family_name__iexact=identity.family_name.strip(), given_name__iexact=identity.given_name.strip())
    if identity.police_identifier:
        narrow |= Q(police_identifier=identity.police_identifier)
    born = identity.date_of_birth
    if born is not None:
        dates = {born}
        if born.day <= 12 and born.day != born.month:
            dates.add(born.replace(month=born.day, day=born.month))
        narrow |= Q(date_of_birth__in=dates) | Q(
            family_name__iexact=identity.family_name.strip(), date_of_birth__year=born.year
        )
    found: list[tuple[Person, str, int]] = []
    for person in among.filter(narrow).distinct()[:200]:
        known = Identity(person.given_name, person.family_name, person.date_of_birth, person.police_identifier)
        result = compare(identity, known)
        if result.kind is not MatchKind.DIFFERENT:
            found.append((person, result.reason, 0 if result.kind is MatchKind.SAME else 1))
    found.sort(key=lambda item: (item[2], item[0].family_name, item[0].given_name))
    return [(person, reason) for person, reason, _rank in found[:limit]]
