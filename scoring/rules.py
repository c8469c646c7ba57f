"""Who may read and act on the repeat-perpetrator scores (dacrre/accounts/predicates.py)."""

from dacrre.accounts.models import Role, User
from dacrre.accounts.predicates import predicate
from dacrre.accounts.rules import police_analyst_or_supervisor


@predicate("scoring.view_scores")
def can_view_scores(user: User) -> bool:
    """Repeat-perpetrator scores are police intelligence: the force's analysts and supervisors only."""
    return police_analyst_or_supervisor(user)


@predicate("scoring.open_case")
def can_open_case_from_ranking(user: User) -> bool:
    """The force's supervisors open a case for a ranked perpetrator."""
    return can_view_scores(user) and user.role == Role.SUPERVISOR
