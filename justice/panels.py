from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User
from dacrre.accounts.predicates import can

from .models import Investigation, InvestigationStatus


@register_case_panel(order=48)
def justice_panel(user: User, case: Case) -> CasePanel | None:
    """The crimes' states in a line, and the way to the outcomes page. One query."""
    if not can(user, "justice.see_outcomes", case):
        return None
    counts = dict.fromkeys(InvestigationStatus.values, 0)
    for status in Investigation.objects.filter(incident__perpetrator_id=case.perpetrator_id).values_list(
        "status", flat=True
    ):
        counts[status] += 1
    return CasePanel(
        template="justice/_case_panel.html",
        context={
            "case": case,
            "counts": [(InvestigationStatus(s).label, n) for s, n in counts.items() if n],
            "can_record": can(user, "justice.record", case),
            "can_update": can(user, "justice.update_victim", case),
        },
    )
