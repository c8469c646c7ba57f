import datetime
from dataclasses import dataclass

from django.utils import timezone

from cases.access.rules import can_assess_risk, can_view_risk_answers
from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User

from .models import RiskAssessment, StalkingScreening
from .services import YEAR


@dataclass(frozen=True)
class MaracPrompt:
    """What an assessment's MARAC flags ask for, given the case's referrals: a referral recorded on or
    after the assessment's date answers the prompt; otherwise the case is still to be referred."""

    reasons: list[str]
    referred_on: datetime.date | None  # the referral that answered this assessment's flags
    last_referred_on: datetime.date | None
    referred_today: bool
    last_within_repeat_window: bool


def marac_prompt(case: Case, assessment: RiskAssessment | None) -> MaracPrompt | None:
    if assessment is None or not assessment.marac_referral_prompted:
        return None
    reasons = []
    if assessment.visible_high_risk:
        reasons.append(f"visible high risk ({assessment.yes_count} yes)")
    if assessment.potential_escalation:
        reasons.append("potential escalation (3 or more incidents in 12 months)")
    if assessment.repeat_marac:
        reasons.append("repeat MARAC (a new incident within 12 months of the last referral)")
    today = timezone.localdate()
    last = case.last_marac_referral_on
    answered = last is not None and last >= timezone.localdate(assessment.assessed_at)
    return MaracPrompt(
        reasons=reasons,
        referred_on=last if answered else None,
        last_referred_on=last,
        referred_today=last == today,
        last_within_repeat_window=last is not None and today - last <= YEAR,
    )


@register_case_panel(order=20)
def risk_panel(user: User, case: Case) -> CasePanel:
    assessments = list(RiskAssessment.objects.filter(case=case).select_related("victim__person")[:10])
    latest = assessments[0] if assessments else None
    return CasePanel(
        template="risk/_case_panel.html",
        context={
            "case": case,
            "latest": latest,
            "assessments": assessments,
            "marac": marac_prompt(case, latest),
            "referred_today": case.last_marac_referral_on == timezone.localdate(),
            "can_assess": can_assess_risk(user, case),
            "can_view_answers": can_view_risk_answers(user, case),
        },
    )


@register_case_panel(order=31)
def stalking_panel(user: User, case: Case) -> CasePanel | None:
    """Stalking screenings: victim-side users (the answers are the victim's account). One query."""
    if not can_view_risk_answers(user, case):
        return None
    return CasePanel(
        template="risk/_stalking_panel.html",
        context={
            "case": case,
            "screenings": list(StalkingScreening.objects.filter(case=case).select_related("victim__person")[:10]),
            "can_assess": can_assess_risk(user, case),
        },
    )
