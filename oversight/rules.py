"""Who may use the team pages, staff a case and transfer it (dacrre/accounts/predicates.py)."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from cases.access.models import CaseAccessGrant
from cases.models import Case, CaseStatus
from cases.selectors import cases_in_scope_of
from dacrre.accounts.models import AgencyKind, Role, User
from dacrre.accounts.predicates import predicate

from .services import may_request_closure

# The holders of a case, in the order the staffing page shows them.
STAFFING_FIELDS = ("spoc", "offender_manager", "idva", "stalking_officer", "stalking_idva")
# The holders an IDVA service working on the case allocates from its own staff.
IDVA_FIELDS = ["idva", "stalking_idva"]
# Agencies whose staff allocate their own IDVA to a case shared with them (by an accepted referral).
IDVA_SERVICE_KINDS = frozenset({AgencyKind.IDVA_SERVICE, AgencyKind.VICTIM_SUPPORT})


@predicate("oversight.manage_team")
def can_manage_team(user: User) -> bool:
    """Supervisors of an agency: their team's caseloads, reallocation and closure decisions."""
    return user.role == Role.SUPERVISOR and user.agency_id is not None


def owning_supervisor(user: User, case: Case) -> bool:
    """A supervisor of the owning force whose team the case is in."""
    return (
        user.role == Role.SUPERVISOR
        and user.agency_id == case.owning_agency_id
        and cases_in_scope_of(user).filter(pk=case.pk).exists()
    )


def agencies_granted(case: Case) -> QuerySet[CaseAccessGrant]:
    """The other agencies working on the case now (an accepted referral, a meeting's sharing)."""
    now = timezone.now()
    return CaseAccessGrant.objects.filter(case=case, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def staffing_fields_for(user: User, case: Case) -> list[str]:
    """Which of the case's holders the user may allocate: every one for the owning force's
    supervisors; the IDVA and the stalking IDVA for an IDVA service working on the case (its IDVAs and supervisors)."""
    if case.status == CaseStatus.CLOSED or not user.is_active or user.agency_id is None:
        return []
    if owning_supervisor(user, case):
        return list(STAFFING_FIELDS)
    if (
        user.role in {Role.IDVA, Role.SUPERVISOR}
        and user.agency is not None
        and user.agency.kind in IDVA_SERVICE_KINDS
        and agencies_granted(case).filter(agency=user.agency).exists()
    ):
        return list(IDVA_FIELDS)
    return []


@predicate("oversight.staff_case")
def can_staff_case(user: User, case: Case) -> bool:
    return bool(staffing_fields_for(user, case))


@predicate("oversight.request_transfer")
def can_request_transfer(user: User, case: Case) -> bool:
    """The owning force's supervisors hand an open case to another area or force."""
    return case.status != CaseStatus.CLOSED and owning_supervisor(user, case)


@predicate("oversight.decide_transfers")
def can_decide_transfers(user: User) -> bool:
    """A police force's supervisors accept or decline the cases transferred to them."""
    return can_manage_team(user) and user.agency is not None and user.agency.is_police


# Who may ask for a case to be closed: the rule is the closure service's own (services.py).
predicate("oversight.request_closure")(may_request_closure)
