"""Safety-plan pages in the permission matrix: a saved plan for the case's victim."""

from safety_plans.models import SafetyPlan, SafetyPlanVersion
from tests.permissions.test_matrix import (
    ACTORS,
    OWNING_CASEWORKERS,
    PERPETRATOR_SIDE_PARTNERS,
    SEE_CASE,
    VICTIM_SIDE_PARTNERS,
)


def entries(world) -> dict:
    plan, _ = SafetyPlan.objects.get_or_create(case=world.case, victim=world.victim, defaults={"version": 1})
    if not plan.versions.exists():
        SafetyPlanVersion.objects.create(plan=plan, number=1, saved_by=world.case.spoc, measures={})
    # Perpetrator-side agencies never see safety plans.
    view = {a: (403 if a in PERPETRATOR_SIDE_PARTNERS else 200) if a in SEE_CASE else 404 for a in ACTORS}
    # IDVAs and the owning force's officers edit plans; other readers (the analyst) only read them.
    edit = {
        a: (200 if a in OWNING_CASEWORKERS | VICTIM_SIDE_PARTNERS else 403) if a in SEE_CASE else 404 for a in ACTORS
    }
    args = [world.case.public_id, world.victim.public_id]
    return {
        "safety_plans:plan": ("get", args, view, edit),
        "safety_plans:versions": ("get", args, view),
        "safety_plans:version": ("get", [*args, 1], view),
        **_children_entry(world),
    }


def _children_entry(world) -> dict:
    # Children's schools are victim-confidential: the owning force and agencies given contact details.
    allowed = OWNING_CASEWORKERS | VICTIM_SIDE_PARTNERS | {"analyst"}
    return {
        "safety_plans:children": (
            "get",
            [world.case.public_id],
            {a: (200 if a in allowed else 403) if a in SEE_CASE else 404 for a in ACTORS},
            # A POST records a school notification: with none named, there is none to record (404).
            {a: 404 if a in allowed else 403 if a in SEE_CASE else 404 for a in ACTORS},
        )
    }
