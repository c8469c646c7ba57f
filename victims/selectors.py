import uuid

from django.db.models import QuerySet

from cases.models import Case
from cases.selectors import case_victim_contact_allowed, cases_visible_to, cases_with_victim_contact_for
from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError

from .models import Child, ChildConfidential, Victim, VictimConfidential


def victims_visible_to(user: User) -> QuerySet[Victim]:
    """A victim is visible to whoever can see at least one case they are in: the same rule for the
    victim's page and for every page that names them (a perpetrator's incidents, for instance)."""
    return Victim.objects.filter(cases__in=cases_visible_to(user)).distinct()


def victim_get_for(user: User, public_id: uuid.UUID | str) -> Victim:
    try:
        return victims_visible_to(user).select_related("person").get(public_id=public_id)
    except (Victim.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Victim not found.") from exc


def victim_confidential_for(user: User, victim: Victim) -> VictimConfidential | None:
    """Contact details, or None when the user may not see them (see cases.selectors for the rule)."""
    if not cases_with_victim_contact_for(user).filter(victims=victim).exists():
        return None
    return VictimConfidential.objects.filter(victim=victim).first()


def children_visible_to(user: User) -> QuerySet[Child]:
    """A child is visible to whoever can see at least one case they are in."""
    return Child.objects.filter(cases__in=cases_visible_to(user)).distinct()


def child_get_for(user: User, public_id: uuid.UUID | str) -> Child:
    try:
        return children_visible_to(user).select_related("person").get(public_id=public_id)
    except (Child.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Child not found.") from exc


def child_confidential_for(user: User, child: Child) -> ChildConfidential | None:
    """A child's school, or None when the user may not see it (the rule of victims' contact details)."""
    if not cases_with_victim_contact_for(user).filter(children=child).exists():
        return None
    return ChildConfidential.objects.filter(child=child).first()


def victim_confidential_on_case(user: User, case: Case, victim: Victim) -> VictimConfidential | None:
    """The victim's contact details as a page of one case shows them (a safety plan): only where the
    user may see victims' contact on that case (`case_victim_contact_allowed`), else None. An empty
    record when none was ever saved, so that the page can offer the fields."""
    if not case_victim_contact_allowed(user, case):
        return None
    return VictimConfidential.objects.filter(victim=victim).first() or VictimConfidential(victim=victim)


def case_victims_confidential_for(user: User, case: Case) -> list[VictimConfidential]:
    """The contact details of every victim on one case, for a user who may see victims' contact on
    it (`case_victim_contact_allowed`), else none."""
    if not case_victim_contact_allowed(user, case):
        return []
    return list(VictimConfidential.objects.filter(victim__case_links__case=case).select_related("victim__person"))
