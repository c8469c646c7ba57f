"""Who may do what with target-hardening equipment (predicates: dacrre/accounts/predicates.py)."""

from cases.models import Case
from cases.selectors import case_victim_contact_allowed
from dacrre.accounts.models import CASE_LEAD_ROLES, User
from dacrre.accounts.predicates import predicate


@predicate("equipment.manage_register")
def can_manage_register(user: User) -> bool:
    """Officers, supervisors and IDVAs of agencies that work with victims keep their agency's register."""
    return user.agency_id is not None and user.role in CASE_LEAD_ROLES and user.is_victim_side


@predicate("equipment.see_on_case")
def can_see_equipment(user: User, case: Case) -> bool:
    """What a victim has been given: victim-side users who see the case. Perpetrator-side agencies
    never learn what protects a victim."""
    return user.is_victim_side


@predicate("equipment.see_installation")
def can_see_installation(user: User, case: Case) -> bool:
    """Where it is installed says where the victim is: only with the victims' contact details."""
    return case_victim_contact_allowed(user, case)


@predicate("equipment.issue")
def can_issue_equipment(user: User, case: Case) -> bool:
    """Issuing and fitting equipment at a victim's home needs the register and the victim's address."""
    return can_manage_register(user) and case_victim_contact_allowed(user, case)
