"""Who may use the team pages (dacrre/accounts/predicates.py)."""

from dacrre.accounts.models import Role, User
from dacrre.accounts.predicates import predicate

from .services import may_request_closure


@predicate("oversight.manage_team")
def can_manage_team(user: User) -> bool:
    """Supervisors of an agency: their team's caseloads, reallocation and closure decisions."""
    return user.role == Role.SUPERVISOR and user.agency_id is not None


# Who may ask for a case to be closed: the rule is the closure service's own (services.py).
predicate("oversight.request_closure")(may_request_closure)
