"""The case page's closure section: ask a supervisor to close the case, or see that someone has."""

from cases.models import Case, CaseStatus
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User

from .services import closure_pending_for, may_request_closure


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
