"""Victims' experience in the permission matrix: the survey form is for the victim's officer (the
owning force's officers and supervisors) and victim-side IDVAs; perpetrator-side partners never
reach it; those who do not see the case get a 404."""

from tests.permissions.test_matrix import ACTORS, OWNING_CASEWORKERS, SEE_CASE, SUPERVISORS, VICTIM_SIDE_PARTNERS


def entries(world) -> dict:
    recorders = OWNING_CASEWORKERS | VICTIM_SIDE_PARTNERS
    survey = {a: (200 if a in recorders else 403) if a in SEE_CASE else 404 for a in ACTORS}
    return {
        "experience:survey": ("get", [world.case.public_id, world.victim.public_id], survey),
        # Each force's supervisors set their own force's thresholds (the other force's inspector too).
        "experience:thresholds": ("get", [], {a: 200 if a in SUPERVISORS else 403 for a in ACTORS}),
    }
