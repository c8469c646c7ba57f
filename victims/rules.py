"""Who may change a victim's or a child's contact details (they are victim-confidential)."""

from cases.models import Case, CaseStatus
from cases.selectors import case_victim_contact_allowed, cases_with_victim_contact_for
from dacrre.accounts.models import POLICE_CASEWORK_ROLES, Role, User
from dacrre.accounts.predicates import predicate

from .models import Child, Victim

DETAILS_EDITORS = POLICE_CASEWORK_ROLES | {Role.IDVA}


def _may_edit_on(user: User) -> bool:
    return user.role in DETAILS_EDITORS and user.is_victim_side


@predicate("victims.edit_details")
def can_edit_victim_details(user: User, victim: Victim) -> bool:
    """IDVAs and the owning force's officers and supervisors, on an open case on which they may see
    the victim's contact details (cases.selectors.case_victim_contact_allowed)."""
    return (
        _may_edit_on(user)
        and cases_with_victim_contact_for(user).filter(victims=victim).exclude(status=CaseStatus.CLOSED).exists()
    )


@predicate("victims.edit_child_details")
def can_edit_child_details(user: User, child: Child) -> bool:
    """A child's school, by the same rule as a victim's contact details."""
    return (
        _may_edit_on(user)
        and cases_with_victim_contact_for(user).filter(children=child).exclude(status=CaseStatus.CLOSED).exists()
    )


@predicate("victims.edit_details_on_case")
def can_edit_details_on_case(user: User, case: Case) -> bool:
    """The victims' and children's details on this open case (the case page's links)."""
    return _may_edit_on(user) and case.status != CaseStatus.CLOSED and case_victim_contact_allowed(user, case)
