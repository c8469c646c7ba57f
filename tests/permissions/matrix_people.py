"""The duplicate review queue in the permission matrix: the force's supervisors (analysts are tested
in tests/people). other_force_inspector sees their own force's queue; this force's pair is not found."""

from people.models import DuplicateCandidate
from tests.factories import PersonFactory
from tests.permissions.test_matrix import ACTORS

SEEING = {"area_supervisor", "other_force_inspector"}


def entries(world) -> dict:
    pair = DuplicateCandidate.objects.filter(agency=world.case.owning_agency).first()
    if pair is None:
        first, second = sorted([PersonFactory(), PersonFactory()], key=lambda person: person.pk)
        pair = DuplicateCandidate.objects.create(
            first=first, second=second, reason="similar names", agency=world.case.owning_agency
        )
    return {
        "people:duplicates": ("get", [], {a: 200 if a in SEEING else 403 for a in ACTORS}),
        "people:duplicate_detail": (
            "get",
            [pair.public_id],
            {a: 200 if a == "area_supervisor" else 404 if a == "other_force_inspector" else 403 for a in ACTORS},
        ),
    }
