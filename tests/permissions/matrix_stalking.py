"""Stalking screening pages in the permission matrix: the answers are the victim's account."""

from risk.models import StalkingScreening
from risk.stalking import STALKING_KEYS
from tests.permissions.test_matrix import (
    ACTORS,
    OWNING_CASEWORKERS,
    PERPETRATOR_SIDE_PARTNERS,
    SEE_CASE,
    VICTIM_SIDE_PARTNERS,
)


def _screening(world) -> StalkingScreening:
    return StalkingScreening.objects.filter(case=world.case).first() or StalkingScreening.objects.create(
        case=world.case,
        victim=world.victim,
        screened_by=world.case.spoc,
        answers=dict.fromkeys(STALKING_KEYS, "no"),
        yes_count=0,
        high_risk=False,
    )


def entries(world) -> dict:
    screening = _screening(world)
    assessors = OWNING_CASEWORKERS | VICTIM_SIDE_PARTNERS
    write = {a: (200 if a in assessors else 403) if a in SEE_CASE else 404 for a in ACTORS}
    answers = {a: (403 if a in PERPETRATOR_SIDE_PARTNERS else 200) if a in SEE_CASE else 404 for a in ACTORS}
    # The referral: answered with the page again (302) for assessors; the answers' 403 for the rest.
    refer = {a: (302 if a in assessors else 403) if a in SEE_CASE else 404 for a in ACTORS}
    return {
        "risk:stalking_new": ("get", [world.case.public_id], write),
        "risk:stalking_detail": ("get", [world.case.public_id, screening.public_id], answers),
        "risk:stalking_referral": ("post", [world.case.public_id, screening.public_id], refer),
    }
