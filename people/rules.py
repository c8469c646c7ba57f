"""Who may review possible duplicate records of a person (dacrre/accounts/predicates.py)."""

from dacrre.accounts.models import User
from dacrre.accounts.predicates import predicate
from dacrre.accounts.rules import police_analyst_or_supervisor


@predicate("people.review_duplicates")
def can_review_duplicates(user: User) -> bool:
    """Deciding whether two records are one person is police data quality: the force's analysts and
    supervisors, for pairs their own imports raised."""
    return police_analyst_or_supervisor(user)
