"""The ranking page in the permission matrix: the force's supervisors (analysts are tested in tests/scoring)."""

from tests.permissions.test_matrix import ACTORS


def entries(world) -> dict:
    police_supervisors = {"area_supervisor"}
    # other_force_inspector is a supervisor too, but of an agency whose kind is "police" by the factory:
    # they see their own force's ranking, never this one's data (it is filtered by recording agency).
    return {
        "scoring:ranking": (
            "get",
            [],
            {a: 200 if a in police_supervisors | {"other_force_inspector"} else 403 for a in ACTORS},
        )
    }
