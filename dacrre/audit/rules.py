"""Predicates of the access log (dacrre/accounts/predicates.py)."""

from dacrre.accounts.models import User
from dacrre.accounts.predicates import predicate
from dacrre.accounts.roles import has_role_permission


@predicate("audit.read_access_log")
def can_read_access_log(user: User) -> bool:
    """Auditors read, search and export the access log and review break-glass looks (a role permission)."""
    return has_role_permission(user, "audit.view_accesslog")
