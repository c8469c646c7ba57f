"""Scoring pages in the permission matrix: the force's supervisors (analysts are tested in tests/scoring).

other_force_inspector is a police supervisor too: they see their own force's ranking, never this
force's data (the ranking is filtered by recording agency)."""

from django.utils import timezone

from scoring.models import TaskingSnapshot
from tests.permissions.test_matrix import ACTORS, FORCE_SUPERVISORS, SUPERVISORS

SEEING = SUPERVISORS | {"analyst"}


def entries(world) -> dict:
    snapshot = TaskingSnapshot.objects.filter(agency=world.case.owning_agency).first() or (
        TaskingSnapshot.objects.create(
            agency=world.case.owning_agency,
            area=world.case.area,
            month=timezone.localdate().replace(day=1),
            top_n=10,
            taken_by=world.case.spoc,
        )
    )
    # other_force_inspector sees their own force's lists; this force's list is not found for them.
    return {
        "scoring:tasking": ("get", [], {a: 200 if a in SEEING else 403 for a in ACTORS}),
        "scoring:tasking_detail": (
            "get",
            [snapshot.public_id],
            {
                a: 200 if a in FORCE_SUPERVISORS | {"analyst"} else 404 if a == "other_force_inspector" else 403
                for a in ACTORS
            },
        ),
        "scoring:ranking": ("get", [], {a: 200 if a in SEEING else 403 for a in ACTORS}),
        # With nothing chosen the page comes back with a message (302), for those who may open cases.
        "scoring:open_cases": ("post", [], {a: 302 if a in SEEING else 403 for a in ACTORS}),
        "scoring:refresh": ("post", [], {a: 302 if a in SEEING else 403 for a in ACTORS}),
    }
