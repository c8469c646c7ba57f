"""Risk pages in the permission matrix: two assessments on the case."""

from risk.models import Answer, RiskAssessment
from risk.questions import QUESTION_KEYS
from tests.permissions.test_matrix import (
    ACTORS,
    OWNING_CASEWORKERS,
    PERPETRATOR_SIDE_PARTNERS,
    SEE_CASE,
    VICTIM_SIDE_PARTNERS,
)


def _assessments(world) -> list:
    existing = list(RiskAssessment.objects.filter(case=world.case))
    for _ in range(2 - len(existing)):
        existing.append(
            RiskAssessment.objects.create(
                case=world.case,
                victim=world.victim,
                assessed_by=world.case.spoc,
                answers=dict.fromkeys(QUESTION_KEYS, Answer.NO),
                yes_count=0,
                score_level="standard",
                final_level="standard",
                visible_high_risk=False,
                potential_escalation=False,
                repeat_marac=False,
            )
        )
    return existing


def entries(world) -> dict:
    assessment = _assessments(world)[0]
    assessors = OWNING_CASEWORKERS | VICTIM_SIDE_PARTNERS
    write = {a: (200 if a in assessors else 403) if a in SEE_CASE else 404 for a in ACTORS}
    # The answers are victim-side: everyone who sees the case except the perpetrator-side agency.
    answers = {a: (403 if a in PERPETRATOR_SIDE_PARTNERS else 200) if a in SEE_CASE else 404 for a in ACTORS}
    marac = {a: (302 if a in assessors else 403) if a in SEE_CASE else 404 for a in ACTORS}
    return {
        "risk:new": ("get", [world.case.public_id], write),
        "risk:detail": ("get", [world.case.public_id, assessment.public_id], answers),
        "risk:compare": ("get", [world.case.public_id], answers),
        "risk:marac_referral": ("post", [world.case.public_id], marac),
    }
