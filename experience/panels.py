from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User
from dacrre.accounts.predicates import can

from .models import SatisfactionSurvey


@register_case_panel(order=57)
def satisfaction_panel(user: User, case: Case) -> CasePanel | None:
    """Each victim's satisfaction survey (recorded, declined or not yet), for victim-side users; a link
    to record it for the victim's officer or IDVA while the case is open. One query."""
    if not can(user, "experience.see_surveys", case):
        return None
    surveys = {s.victim_id: s for s in SatisfactionSurvey.objects.filter(case=case).select_related("recorded_by")}
    # The case page has loaded the victims already (cases.http.case_for, people=True): not twice.
    shown = getattr(case, "victims_shown", None)
    if shown is None:
        shown = case.case_victims.select_related("victim__person")
    victims = [(link.victim, surveys.get(link.victim_id)) for link in sorted(shown, key=lambda link: link.pk)]
    return CasePanel(
        template="experience/_case_panel.html",
        context={"case": case, "victims": victims, "can_record": can(user, "experience.record_survey", case)},
    )
