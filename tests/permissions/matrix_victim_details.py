"""Changing a victim's contact details and a child's school: IDVAs and the owning force's officers
and supervisors who may see them; perpetrator-side agencies and analysts see the victim but not this."""

from tests.factories import CaseChildFactory
from tests.permissions.test_matrix import ACTORS, OWNING_CASEWORKERS, SEE_CASE, VICTIM_SIDE_PARTNERS


def entries(world) -> dict:
    child = world.case.children.first() or CaseChildFactory(case=world.case).child
    editors = OWNING_CASEWORKERS | VICTIM_SIDE_PARTNERS
    expected = {a: (200 if a in editors else 403) if a in SEE_CASE else 404 for a in ACTORS}
    return {
        "victims:details": ("get", [world.victim.public_id], expected),
        "victims:child_details": ("get", [child.public_id], expected),
    }
