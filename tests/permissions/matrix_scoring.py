"""Scoring pages in the permission matrix: the force's supervisors (analysts are tested in tests/scoring).

other_force_inspector is a police supervisor too: they see their own force's ranking, never this
force's data (the ranking is filtered by recording agency)."""

from django.utils import timezone

from scoring.models import DailyTasking, TaskingEntry, TaskingSnapshot
from tests.permissions.test_matrix import ACTOR_SPECS, ACTORS, FORCE_SUPERVISORS, SUPERVISORS

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
    entry = snapshot.entries.first() or TaskingEntry.objects.create(
        snapshot=snapshot, perpetrator=world.case.perpetrator, rank=1, total=50, frequency=2, gravity=10, victims=1
    )
    tasking = DailyTasking.objects.filter(entry=entry).first() or DailyTasking.objects.create(
        entry=entry,
        case=world.case,
        tasked_on=timezone.localdate(),
        officer=world.case.spoc,
        kind="patrol",
        tasked_by=world.case.spoc,
    )
    police = {a for a, spec in ACTOR_SPECS.items() if spec.agency in {"force", "other_force"}}
    taskable = {a for a in police if ACTOR_SPECS[a].role in {"officer", "supervisor"}}
    # The tasked officer (the case's SPOC) and the force's supervisors; other officers and the other
    # force find no such tasking.
    result = {
        a: 200 if a in FORCE_SUPERVISORS or a == "assigned_officer" else 404 if a in taskable else 403 for a in ACTORS
    }
    list_page = {
        a: 200 if a in FORCE_SUPERVISORS | {"analyst"} else 404 if a == "other_force_inspector" else 403 for a in ACTORS
    }
    # other_force_inspector sees their own force's lists; this force's list is not found for them.
    return {
        # The analyst reads an entry; only the force's supervisors task officers on it.
        "scoring:tasking_entry": (
            "get",
            [snapshot.public_id, entry.perpetrator.public_id],
            list_page,
            {a: 403 if a == "analyst" else status for a, status in list_page.items()},
        ),
        # Only supervisors set inspectors: the analyst may read the list but not post (an empty post
        # changes nothing and comes back to the list).
        "scoring:tasking_inspectors": (
            "post",
            [snapshot.public_id],
            {a: 302 if a in FORCE_SUPERVISORS else 404 if a == "other_force_inspector" else 403 for a in ACTORS},
        ),
        "scoring:my_tasking": ("get", [], {a: 200 if a in taskable else 403 for a in ACTORS}),
        "scoring:tasking_result": ("get", [tasking.public_id], result),
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
