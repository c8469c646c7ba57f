"""Who reviews retention, disposes of cases and exports a person's records: the force's data
protection officers (the role `dpo`), for their own force's records. Defined once, for the pages,
the navigation and the services."""

from dacrre.accounts.models import Role, User
from dacrre.accounts.predicates import predicate


@predicate("records.manage")
def can_manage_records(user: User) -> bool:
    """Retention reviews, disposal and subject access exports: a data protection officer of an
    active agency, for that agency's records only (the selectors filter by it)."""
    return bool(user.is_authenticated and user.may_read and user.role == Role.DPO and user.agency_id is not None)
