"""Supervisor oversight in the permission matrix: the owning force's supervisors; another force's
supervisor has their own team pages but never finds this force's people."""

from tests.permissions.test_matrix import ACTORS, SEE_CASE, SUPERVISORS


def entries(world) -> dict:
    holder = world.case.spoc
    # Seeing the case is needed (404 otherwise); holding it or supervising it is needed to ask (403).
    may_ask = {"assigned_officer", "area_supervisor", "force_inspector"}
    in_team = {"area_supervisor", "force_inspector"}  # the supervisors whose scope covers the holder's area
    return {
        "oversight:team": ("get", [], {a: 200 if a in SUPERVISORS else 403 for a in ACTORS}),
        # A POST decides a closure request: with none named, there is none to decide (404).
        "oversight:closures": (
            "get",
            [],
            {a: 200 if a in SUPERVISORS else 403 for a in ACTORS},
            {a: 404 if a in SUPERVISORS else 403 for a in ACTORS},
        ),
        "oversight:holder": (
            "get",
            [holder.public_id],
            {a: 200 if a in in_team else 404 if a in SUPERVISORS else 403 for a in ACTORS},
        ),
        "oversight:closure_request": (
            "get",
            [world.case.public_id],
            {a: (200 if a in may_ask else 403) if a in SEE_CASE else 404 for a in ACTORS},
        ),
    }
