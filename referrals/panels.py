from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User

from .rules import can_make_referral
from .selectors import referrals_on_case


@register_case_panel(order=60)
def referrals_panel(user: User, case: Case) -> CasePanel:
    referrals = list(
        referrals_on_case(user, case).select_related("to_agency", "subject_person").order_by("-created_at")
    )
    return CasePanel(
        template="referrals/_case_panel.html",
        context={"case": case, "referrals": referrals, "can_refer": can_make_referral(user, case)},
    )
