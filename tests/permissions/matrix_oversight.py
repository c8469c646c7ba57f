"""Supervisor oversight in the permission matrix: the owning force's supervisors; another force's
supervisor has their own team pages but never finds this force's people."""

from tests.permissions.test_matrix import ACTORS, SEE_CASE

SUPERVISORS = {"area_supervisor", "other_force_inspector"}


def entries(world) -> dict:
    holder = world.case.spoc
    may_ask = {"assigned_officer", "area_supervisor"}
    return {
        "oversight:team": ("get", [], {a: 200 if a in SUPERVISORS else 403 for a in ACTORS}),
        "oversight:closures": ("get", [], {a: 200 if a in SUPERVISORS else 403 for a in ACTORS}),
        "oversight:holder": (
            "get",
            [holder.public_id],
            {a: 200 if a == "area_supervisor" else 404 if a == "other_force_inspector" else 403 for a in ACTORS},
        ),
        # Seeing the case is needed (404 otherwise); holding it or supervising it is needed to ask (403).
        "oversight:closure_request": (
            "get",
            [world.case.public_id],
            {a: (200 if a in may_ask else 403) if a in SEE_CASE else 404 for a in ACTORS},
        ),
    }
