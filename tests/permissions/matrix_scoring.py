"""Scoring pages in the permission matrix: the force's supervisors (analysts are tested in tests/scoring).

other_force_inspector is a police supervisor too: they see their own force's ranking, never this
force's data (the ranking is filtered by recording agency)."""

from tests.permissions.test_matrix import ACTORS

SEEING = {"area_supervisor", "other_force_inspector"}


def entries(world) -> dict:
    return {
        "scoring:ranking": ("get", [], {a: 200 if a in SEEING else 403 for a in ACTORS}),
        # With nothing chosen the page comes back with a message (302), for those who may open cases.
        "scoring:open_cases": ("post", [], {a: 302 if a in SEEING else 403 for a in ACTORS}),
    }
