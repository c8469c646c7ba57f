"""Who may allocate perpetrators to programmes and record interventions (dacrre/accounts/predicates.py)."""

from dacrre.accounts.models import CASEWORK_ROLES, PERPETRATOR_PROGRAMME_KINDS, POLICE_CASEWORK_ROLES, Role, User
from dacrre.accounts.predicates import predicate
from perpetrators.models import Perpetrator

from .models import ProgrammeAllocation


@predicate("offender_management.allocate_programme")
def can_allocate_programme(user: User, perpetrator: Perpetrator) -> bool:
    """Police officers and supervisors of a force owning one of the perpetrator's cases, and
    probation or perpetrator-programme caseworkers. The caller has checked visibility."""
    if user.agency is None:
        return False
    if user.role in POLICE_CASEWORK_ROLES and perpetrator.cases.filter(owning_agency_id=user.agency_id).exists():
        return True
    return user.role in {Role.PARTNER_CASEWORKER, Role.SUPERVISOR} and user.agency.kind in PERPETRATOR_PROGRAMME_KINDS


@predicate("offender_management.record_intervention")
def can_record_intervention(user: User, perpetrator: Perpetrator) -> bool:
    """Any caseworker of an agency that can see the perpetrator."""
    return user.agency_id is not None and user.role in CASEWORK_ROLES


@predicate("offender_management.run_programme")
def can_run_programme(user: User, allocation: ProgrammeAllocation) -> bool:
    """The programme's lead agency records its stages, attendance and measures."""
    return user.agency_id == allocation.lead_agency_id and user.role in CASEWORK_ROLES
