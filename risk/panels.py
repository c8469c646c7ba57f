from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User
from dacrre.permissions.rules import can_assess_risk, can_view_risk_answers

from .models import RiskAssessment


@register_case_panel(order=20)
def risk_panel(user: User, case: Case) -> CasePanel:
    assessments = list(RiskAssessment.objects.filter(case=case).select_related("victim__person")[:10])
    return CasePanel(
        template="risk/_case_panel.html",
        context={
            "case": case,
            "latest": assessments[0] if assessments else None,
            "assessments": assessments,
            "can_assess": can_assess_risk(user, case),
            "can_view_answers": can_view_risk_answers(user, case),
        },
    )
