"""The header search: people and cases among those the user may see, and nothing else.

People are found by name (tolerant, as the import's matching: nicknames, a misspelt letter, given
and family name either way round), date of birth, or police identifier, through the indexes on
people.Person; cases by reference. Only then are they joined to what the user sees: a perpetrator
through `cases_visible_to`, a victim through the cases they are in that the user sees (the rule of
`victims_visible_to`). A person the user may not see is never counted or hinted at. Three queries
whatever the number of results.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from cases.models import Case, CaseVictim
from cases.selectors import cases_visible_among
from dacrre.accounts.models import User
from people.models import Person, name_key

from .query import Query, dates_close_to, family_keys, given_keys

RESULTS_SHOWN = 50
CANDIDATES = 500  # people matching the words, before visibility (a common name: the first 500)


@dataclass
class Result:
    """A person (or a case) found: what they are on the cases the user sees, and those cases."""

    kind: str  # "Perpetrator", "Victim", "Case"
    person: Any
    cases: list[Case] = field(default_factory=list)
    perpetrator: Any = None
    victim: Any = None


def _given_q(key: str, *, prefix: bool) -> Q:
    match = Q(given_key__in=given_keys(key))
    if prefix and len(key) >= 3:
        match |= Q(given_key__startswith=key)  # "Jon" finds Jonathan
    return match


def _names_q(names: list[str]) -> Q:
    if len(names) == 1:
        (key,) = names
        return Q(family_key__in=family_keys(key)) | Q(given_key__in=given_keys(key))
    first, last = names[0], names[-1]
    as_typed = Q(family_key__in=family_keys(last)) & _given_q(first, prefix=True)
    swapped = Q(family_key__in=family_keys(first)) & _given_q(last, prefix=True)
    return as_typed | swapped


def people_matching(query: Query) -> QuerySet[Person] | None:
    """The people the words describe (not yet limited to what the user sees), or None for no words
    that name a person."""
    conditions = Q()
    if query.names:
        conditions &= _names_q(query.names)
    if query.dates:
        conditions &= Q(date_of_birth__in={d for born in query.dates for d in dates_close_to(born)})
    if query.identifiers:
        by_identifier = Q(police_identifier__in=query.identifiers)
        conditions = by_identifier if not (query.names or query.dates) else conditions | by_identifier
    if not conditions:
        return None
    return (
        Person.objects.annotate(family_key=name_key("family_name"), given_key=name_key("given_name"))
        .filter(conditions, merged_into__isnull=True)
        .order_by()
    )


def search_for(user: User, query: Query) -> list[Result]:
    """What the user may see of what `query` finds: cases by reference, perpetrators and victims by
    the people matched, each person once, at most RESULTS_SHOWN. The people are found first (by the
    indexes), then their cases, then which of those the user sees (`cases_visible_among`, row by
    row: a whole force sees 50,000 cases, a search names a few hundred at most)."""
    results: list[Result] = []
    references = [*query.references, *query.identifiers]  # a word with digits may be either
    if references:
        by_reference = Case.objects.filter(reference__in=references).select_related("perpetrator__person")
        for case in cases_visible_among(user, by_reference):
            results.append(Result("Case", case.perpetrator.person, [case], perpetrator=case.perpetrator))
    people = people_matching(query)
    if people is None:
        return results
    # With nobody found the next two queries still run (on an id no one has): a search that finds
    # only people the user may not see costs what one that finds nobody costs.
    candidates = list(people.values_list("pk", flat=True)[:CANDIDATES]) or [0]
    by_perpetrator: dict[int, Result] = {}
    perpetrated = Case.objects.filter(perpetrator__person_id__in=candidates).select_related("perpetrator__person")
    for case in cases_visible_among(user, perpetrated).order_by(
        "perpetrator__person__family_name", "perpetrator__person__given_name", "reference"
    )[:200]:
        person = case.perpetrator.person
        found = by_perpetrator.setdefault(person.pk, Result("Perpetrator", person, perpetrator=case.perpetrator))
        found.cases.append(case)
    by_victim: dict[int, Result] = {}
    suffered = Case.objects.filter(victims__person_id__in=candidates)
    for link in (
        CaseVictim.objects.filter(case__in=cases_visible_among(user, suffered).values("pk"))
        .filter(victim__person_id__in=candidates)
        .select_related("victim__person", "case")
        .order_by("victim__person__family_name", "victim__person__given_name", "case__reference")[:200]
    ):
        person = link.victim.person
        found = by_victim.setdefault(person.pk, Result("Victim", person, victim=link.victim))
        found.cases.append(link.case)
    results += [*by_perpetrator.values(), *by_victim.values()]
    return results[:RESULTS_SHOWN]
