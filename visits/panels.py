from cases.access.rules import can_record_visit
from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User

from .selectors import visits_planned, visits_recent


@register_case_panel(order=10)
def visits_panel(user: User, case: Case) -> CasePanel:
    return CasePanel(
        template="visits/_case_panel.html",
        context={
            "case": case,
            "planned": list(visits_planned(user, case)),
            "recent": list(visits_recent(user, case)),
            "can_record": can_record_visit(user, case),
        },
    )
