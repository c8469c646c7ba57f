from cases.models import Case
from dacrre.accounts.models import User
from dacrre.accounts.predicates import predicate


@predicate("casefile.print_summary")
def can_print_summary(user: User, case: Case) -> bool:
    """Whoever sees the case prints its summary, with what they may see of it and nothing more."""
    return user.agency_id is not None
