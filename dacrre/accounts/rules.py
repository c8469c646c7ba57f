"""Predicates of the accounts themselves (dacrre/accounts/predicates.py)."""

from .models import Role, User
from .predicates import predicate


def police_analyst_or_supervisor(user: User) -> bool:
    """The force's analysts and supervisors: those who read police intelligence (repeat-perpetrator
    scores, possible duplicates, performance figures)."""
    return user.is_police and user.role in {Role.ANALYST, Role.SUPERVISOR}


@predicate("accounts.administer")
def can_administer(user: User) -> bool:
    """The Django admin, as its own site decides: active staff accounts."""
    return user.is_active and user.is_staff
