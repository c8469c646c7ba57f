"""Who sees which tasks (dacrre/accounts/predicates.py)."""

from dacrre.accounts.models import Role, User
from dacrre.accounts.predicates import predicate


@predicate("reminders.view_team_tasks")
def can_view_team_tasks(user: User) -> bool:
    """Supervisors see their team's tasks and those escalated to them."""
    return user.role == Role.SUPERVISOR
