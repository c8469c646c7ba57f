"""The duplicate review queue in the permission matrix: the force's analysts and supervisors review
and decide possible duplicates (docs/permissions.md, section 7). other_force_inspector sees their own
force's queue; this force's pair is not found."""

from people.models import DuplicateCandidate
from tests.factories import PersonFactory
from tests.permissions.test_matrix import ACTORS, FORCE_SUPERVISORS

REVIEWERS = FORCE_SUPERVISORS | {"analyst"}


def entries(world) -> dict:
    pair = DuplicateCandidate.objects.filter(agency=world.case.owning_agency).first()
    if pair is None:
        first, second = sorted([PersonFactory(), PersonFactory()], key=lambda person: person.pk)
        pair = DuplicateCandidate.objects.create(
            first=first, second=second, reason="similar names", agency=world.case.owning_agency
        )
    return {
        "people:duplicates": (
            "get",
            [],
            {a: 200 if a in REVIEWERS | {"other_force_inspector"} else 403 for a in ACTORS},
        ),
        # Deciding (POST, here empty) is for the same people: the analyst as much as the supervisors.
        "people:duplicate_detail": (
            "get",
            [pair.public_id],
            {a: 200 if a in REVIEWERS else 404 if a == "other_force_inspector" else 403 for a in ACTORS},
        ),
    }
