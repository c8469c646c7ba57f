"""Who may read the performance reports (dacrre/accounts/predicates.py)."""

from dacrre.accounts.models import User
from dacrre.accounts.predicates import predicate
from dacrre.accounts.rules import police_analyst_or_supervisor


@predicate("reports.view")
def can_view_reports(user: User) -> bool:
    """Performance figures of the force's operations (counts, no personal data): its supervisors and analysts."""
    return police_analyst_or_supervisor(user)
