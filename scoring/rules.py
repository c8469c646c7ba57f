"""Who may read and act on the repeat-perpetrator scores (dacrre/accounts/predicates.py)."""

from dacrre.accounts.models import POLICE_CASEWORK_ROLES, Role, User
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


@predicate("scoring.manage_tasking")
def can_manage_tasking(user: User) -> bool:
    """The force's supervisors (inspectors) own top-N entries and task officers out on them."""
    return user.is_police and user.role == Role.SUPERVISOR


@predicate("scoring.have_tasking")
def can_have_tasking(user: User) -> bool:
    """The force's officers and supervisors are tasked on top-N entries and record what came of it."""
    return user.is_police and user.role in POLICE_CASEWORK_ROLES
