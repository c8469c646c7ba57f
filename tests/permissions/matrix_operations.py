"""Operations pages: the lead force's supervisors; another force's supervisor has their own
operations list, and this force's operation answers them 404."""

from tests.permissions.test_matrix import ACTORS, FORCE_SUPERVISORS


def entries(world) -> dict:
    operation = world.case.operation
    managers = FORCE_SUPERVISORS | {"other_force_inspector"}
    listing = {a: 200 if a in managers else 403 for a in ACTORS}
    own = {a: 200 if a in FORCE_SUPERVISORS else 404 if a == "other_force_inspector" else 403 for a in ACTORS}
    return {
        "cases:operations": ("get", [], listing),
        "cases:operation_new": ("get", [], listing),
        "cases:operation_detail": ("get", [operation.public_id], own),
        "cases:operation_edit": ("get", [operation.public_id], own),
        "cases:operation_add_case": ("get", [operation.public_id], own),
    }
