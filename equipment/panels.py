from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User
from dacrre.accounts.predicates import can

from .selectors import issues_on_case


@register_case_panel(order=55)
def equipment_panel(user: User, case: Case) -> CasePanel | None:
    """What the victims on the case have been given, for victim-side users; where it is installed
    only with the victims' contact details. One query."""
    if not can(user, "equipment.see_on_case", case):
        return None
    return CasePanel(
        template="equipment/_case_panel.html",
        context={
            "case": case,
            "issues": list(issues_on_case(case)),
            "see_installation": can(user, "equipment.see_installation", case),
            "can_issue": can(user, "equipment.issue", case),
            # Not a change to the case: the register stays open on a closed case.
            "register": can(user, "equipment.manage_register"),
        },
    )
