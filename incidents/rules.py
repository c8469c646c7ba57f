"""Who may import incidents (dacrre/accounts/predicates.py)."""

from dacrre.accounts.models import User
from dacrre.accounts.predicates import predicate
from dacrre.accounts.roles import has_role_permission


@predicate("incidents.import")
def can_import_incidents(user: User) -> bool:
    """Analysts import their force's incidents (a role permission), into their own agency."""
    return user.agency_id is not None and has_role_permission(user, "incidents.add_incident")
