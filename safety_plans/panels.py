from django.db.models import Count, Q

from cases.access.rules import can_view_safe_contact, can_view_safety_plan
from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User

from .models import MeasureStatus, SafetyPlan


@register_case_panel(order=30)
def safety_plans_panel(user: User, case: Case) -> CasePanel | None:
    if not can_view_safety_plan(user, case):
        return None
    plans = {
        plan.victim_id: plan
        for plan in SafetyPlan.objects.filter(case=case).annotate(
            in_place=Count("measures", filter=Q(measures__status=MeasureStatus.IN_PLACE)),
            proposed=Count("measures", filter=Q(measures__status=MeasureStatus.PROPOSED)),
        )
    }
    # The case page has loaded the victims already (cases.http.case_for, people=True): not twice.
    shown = getattr(case, "victims_shown", None)
    if shown is None:
        shown = case.case_victims.select_related("victim__person")
    rows = [(link.victim, plans.get(link.victim_id)) for link in sorted(shown, key=lambda link: link.pk)]
    return CasePanel(
        template="safety_plans/_case_panel.html",
        context={"case": case, "rows": rows, "children_allowed": can_view_safe_contact(user, case)},
    )
