"""What a user may do to a case they can already see (visibility is decided by cases.selectors),
and the other predicates of casework on a case. Registered by name (dacrre/accounts/predicates.py)
for the navigation and templates; views, panels and services call the functions.

Every check here that takes a case assumes the caller obtained it through `case_get_for(user, ...)`.
The other apps' predicates are in their own rules.py (referrals, meetings, offender_management...).
"""

from cases.models import Case
from cases.selectors import case_victim_contact_allowed
from dacrre.accounts.models import CASEWORK_ROLES, POLICE_CASEWORK_ROLES, SHARED_CASELOAD_ROLES, Role, User
from dacrre.accounts.predicates import predicate
from dacrre.accounts.roles import has_role_permission


def owning_police_user(user: User, case: Case) -> bool:
    """An officer or supervisor of the force that owns the case."""
    return user.agency_id == case.owning_agency_id and user.role in POLICE_CASEWORK_ROLES


@predicate("cases.have_caseload")
def can_have_caseload(user: User) -> bool:
    """The casework roles hold cases and have a caseload and tasks."""
    return user.role in CASEWORK_ROLES


@predicate("cases.see_shared_caseload")
def can_see_shared_caseload(user: User) -> bool:
    """IDVAs' and partner caseworkers' caseload includes the cases shared with their agency."""
    return user.agency_id is not None and user.role in SHARED_CASELOAD_ROLES


@predicate("cases.search")
def can_search_cases(user: User) -> bool:
    """The list of cases the user sees, with its search. Auditors and data protection officers see no
    case through it (the officer's subject access export is its own path): it is not offered them."""
    return user.role not in {Role.AUDITOR, Role.DPO}


@predicate("cases.break_glass")
def can_break_glass(user: User) -> bool:
    """Supervisors open a case of their agency outside their scope, with a reason (a role permission)."""
    return has_role_permission(user, "permissions.add_breakglassaccess")


@predicate("cases.record_visit")
def can_record_visit(user: User, case: Case) -> bool:
    """Visits are made by the owning force's officers."""
    return owning_police_user(user, case)


@predicate("cases.view_victim_visits")
def can_view_victim_visits(user: User) -> bool:
    """Visits to victims, and when the next one is due, say where and when a victim can be found:
    never for perpetrator-side agencies (visits.selectors applies the same rule to the visits)."""
    return user.is_victim_side


@predicate("cases.assess_risk")
def can_assess_risk(user: User, case: Case) -> bool:
    """Officers of the owning force and IDVAs (victim-side) complete DASH assessments."""
    return owning_police_user(user, case) or (user.role == Role.IDVA and user.is_victim_side)


@predicate("cases.view_risk_answers")
def can_view_risk_answers(user: User, case: Case) -> bool:
    """The DASH answers describe the victim's situation: never for perpetrator-side agencies.
    Everyone who sees the case sees the resulting risk level."""
    return user.is_victim_side


@predicate("cases.view_safety_plan")
def can_view_safety_plan(user: User, case: Case) -> bool:
    """A safety plan says how the victim is protected; perpetrator-side agencies never see it."""
    return user.is_victim_side


@predicate("cases.edit_safety_plan")
def can_edit_safety_plan(user: User, case: Case) -> bool:
    """IDVAs own safety plans with the victim; the owning force's officers add police measures."""
    return can_view_safety_plan(user, case) and (user.role == Role.IDVA or owning_police_user(user, case))


@predicate("cases.view_safe_contact")
def can_view_safe_contact(user: User, case: Case) -> bool:
    """Safe-contact arrangements are victim-confidential fields."""
    return case_victim_contact_allowed(user, case)


@predicate("cases.record_order")
def can_record_order(user: User, case: Case) -> bool:
    return owning_police_user(user, case)


@predicate("cases.record_disclosure")
def can_record_disclosure(user: User, case: Case) -> bool:
    """Clare's Law applications are police decisions."""
    return owning_police_user(user, case)


@predicate("cases.view_disclosures")
def can_view_disclosures(user: User, case: Case) -> bool:
    """Clare's Law applications concern the person at risk: victim-side and the owning force only."""
    return user.is_victim_side


@predicate("cases.set_cadences")
def can_set_cadences(user: User) -> bool:
    """How often cases are visited and reviewed is an operational decision of the lead force."""
    return user.is_police and user.role == Role.SUPERVISOR


@predicate("cases.manage_operations")
def can_manage_operations(user: User) -> bool:
    """Operations (their names, dates, areas and cadences) are set up by the lead force's supervisors."""
    return user.agency_id is not None and user.is_police and user.role == Role.SUPERVISOR


@predicate("cases.change_status")
def can_change_status(user: User, case: Case) -> bool:
    """The owning force's officers and supervisors move an open case between identified, active and
    under review (cases/transitions.py)."""
    from cases.transitions import moves_for

    return bool(moves_for(user, case))


@predicate("cases.reopen")
def can_reopen(user: User, case: Case) -> bool:
    """A supervisor of the owning force reopens a closed case, with a reason."""
    from cases.transitions import may_reopen

    return may_reopen(user, case)
