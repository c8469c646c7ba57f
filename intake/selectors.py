"""The people a user may find when opening a case or adding someone to one.

A police user finds the people of their force's incidents and cases (perpetrators and victims);
everyone finds the people of the cases they see. A person the user may not see is neither listed nor hinted at."""

import datetime

from django.db.models import Q, QuerySet

from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from people.matching import Identity
from people.models import Person
from people.selectors import people_likely_matching

SEARCH_LIMIT = 20


def people_known_to(user: User) -> QuerySet[Person]:
    visible = cases_visible_to(user).values("pk")
    known = (
        Q(perpetrator__cases__in=visible)
        | Q(victim__case_links__case__in=visible)
        | Q(child__case_links__case__in=visible)
    )
    if user.agency is not None and user.agency.is_police:
        # The force's own records: the people of its incidents, and of its cases outside the user's scope
        # (a perpetrator already worked by another team is found, not recorded twice).
        known |= (
            Q(perpetrator__incidents__recording_agency_id=user.agency_id)
            | Q(victim__incidents__recording_agency_id=user.agency_id)
            | Q(perpetrator__cases__owning_agency_id=user.agency_id)
            | Q(victim__case_links__case__owning_agency_id=user.agency_id)
        )
    ids = Person.objects.filter(known, merged_into__isnull=True).values("pk")
    return Person.objects.filter(pk__in=ids)


def people_search(
    user: User, *, name: str = "", born: datetime.date | None = None, police_identifier: str = ""
) -> list[Person]:
    """The people known to the user who fit what was typed: each word of the name in the given or
    family name, the date of birth, the police identifier (exactly)."""
    found = people_known_to(user)
    words = name.split()
    if not words and born is None and not police_identifier:
        return []
    for word in words:
        found = found.filter(Q(given_name__icontains=word) | Q(family_name__icontains=word))
    if born is not None:
        found = found.filter(date_of_birth=born)
    if police_identifier:
        found = found.filter(police_identifier__iexact=police_identifier.strip())
    return list(found.order_by("family_name", "given_name", "pk")[:SEARCH_LIMIT])


def likely_matches_for(user: User, identity: Identity) -> list[tuple[Person, str]]:
    """Before a new person is created: those known to the user whom the duplicate queue's rules
    would call the same or likely the same person."""
    return people_likely_matching(identity, people_known_to(user))


def person_known_to(user: User, public_id: str) -> Person | None:
    try:
        return people_known_to(user).filter(public_id=public_id).first()
    except (ValueError, TypeError):
        return None
