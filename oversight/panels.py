"""The case page's oversight sections: a closure awaiting a supervisor (or the link to ask for one),
and the case's staffing and transfer."""

from cases.models import Case, CaseStatus
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User

from .rules import STAFFING_FIELDS, staffing_fields_for
from .services import closure_pending_for, may_request_closure
from .transfers import transfer_pending_for


@register_case_panel(order=5)
def closure_panel(user: User, case: Case) -> CasePanel | None:
    if case.status == CaseStatus.CLOSED:
        return None  # the case page says so at the top
    pending = closure_pending_for(case)
    can_ask = pending is None and may_request_closure(user, case)
    if pending is None and not can_ask:
        return None
    return CasePanel(
        template="oversight/_case_panel.html",
        context={"case": case, "pending": pending, "can_ask": can_ask},
    )


@register_case_panel(order=4)
def staffing_panel(user: User, case: Case) -> CasePanel | None:
    """Links to staff the case and to transfer it, for those who may; a transfer awaiting a decision."""
    if case.status == CaseStatus.CLOSED:
        return None
    pending = transfer_pending_for(case)
    fields = staffing_fields_for(user, case)
    # Every holder is the owning supervisors' to allocate, and only theirs: the same rule as
    # oversight.request_transfer, without asking the database again.
    can_transfer = pending is None and len(fields) == len(STAFFING_FIELDS)
    can_staff = bool(fields)
    if pending is None and not can_staff and not can_transfer:
        return None
    return CasePanel(
        template="oversight/_staffing_panel.html",
        context={"case": case, "pending_transfer": pending, "can_staff": can_staff, "can_transfer": can_transfer},
    )
