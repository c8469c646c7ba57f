"""The one way a page reaches a victim's safety plan: fetch, decide, log, in one call (cases/http.py
explains the pattern). The plan is found by its case and victim, and made on first visit."""

import uuid

from django.http import Http404, HttpRequest

from cases.http import case_decided, case_record_logged
from cases.models import Case
from dacrre.audit.models import AccessAction
from victims.models import Victim
from victims.selectors import victim_confidential_on_case

from . import services
from .models import SafetyPlan


def plan_for(
    request: HttpRequest,
    case_id: uuid.UUID | str,
    victim_id: uuid.UUID | str,
    *,
    what: str,
    safe_contact: bool = False,
) -> tuple[Case, SafetyPlan]:
    """The case and the plan of its victim `victim_id` for the page `what`, logged as the plan. With
    `safe_contact`, the victim's safe-contact arrangements where the user may see them (as
    `plan.safe_contact`: None where they may not), and the view logged as confidential."""
    case = case_decided(
        request,
        case_id,
        can="cases.view_safety_plan",
        writing=False,
        refused="Safety plans are not shared with your agency.",
    )
    victim = Victim.objects.filter(public_id=victim_id, case_links__case=case).select_related("person").first()
    if victim is None:
        raise Http404("Victim not found on this case.")
    plan = services.safety_plan_for(case=case, victim=victim)
    plan.case, plan.victim = case, victim
    action = AccessAction.VIEW
    if safe_contact:
        details = victim_confidential_on_case(request.user, case, victim)  # type: ignore[arg-type]
        plan.safe_contact = None if details is None else details.safe_contact_arrangements  # type: ignore[attr-defined]
        action = AccessAction.VIEW_CONFIDENTIAL if details is not None else AccessAction.VIEW
    case_record_logged(request, case, plan, what=what, action=action)
    return case, plan
