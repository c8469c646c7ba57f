from cases.access.rules import can_record_disclosure, can_view_disclosures
from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User

from .models import DisclosureApplication
from .selectors import new_partners_of


@register_case_panel(order=50)
def disclosures_panel(user: User, case: Case) -> CasePanel | None:
    if not can_view_disclosures(user, case):
        return None
    applications = list(DisclosureApplication.objects.filter(case=case).select_related("person_at_risk__person"))
    can_record = can_record_disclosure(user, case)
    return CasePanel(
        template="disclosures/_case_panel.html",
        context={
            "case": case,
            "applications": applications,
            "can_record": can_record,
            # Only to those who decide disclosures: the people are not (yet) on the case.
            "new_partners": list(new_partners_of(case)) if can_record else [],
        },
    )
