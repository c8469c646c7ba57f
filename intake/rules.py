"""Who may open a case by hand and add people to one (dacrre/accounts/predicates.py)."""

from cases.access.rules import owning_police_user
from cases.models import Case, CaseStatus
from dacrre.accounts.models import POLICE_CASEWORK_ROLES, Role, User
from dacrre.accounts.predicates import predicate


@predicate("intake.open_case")
def can_open_case(user: User) -> bool:
    """A force's officers and supervisors open cases in their force's operations."""
    return user.is_active and user.role in POLICE_CASEWORK_ROLES and user.agency is not None and user.agency.is_police


@predicate("intake.add_person")
def can_add_person(user: User, case: Case) -> bool:
    """Victims and children are added to an open case by the owning force's officers and supervisors,
    and by victim-side IDVAs working on it (the caller has the case through `case_for`, so the IDVA
    sees it). Perpetrator-side agencies never add the people at risk."""
    if case.status == CaseStatus.CLOSED:
        return False
    return owning_police_user(user, case) or (user.role == Role.IDVA and user.is_victim_side)
