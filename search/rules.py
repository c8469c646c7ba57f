"""Who may use the header search: the roles that see cases through the case list (the same rule)."""

from cases.access.rules import can_search_cases
from dacrre.accounts.models import User
from dacrre.accounts.predicates import predicate


@predicate("search.use")
def can_use_search(user: User) -> bool:
    """The header search finds people and cases among those the user may see; it is offered to the
    roles the case list is offered to."""
    return can_search_cases(user)
