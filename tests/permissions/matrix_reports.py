"""The performance report in the permission matrix: the force's supervisors (and analysts, tested in
tests/reports); another force's supervisor sees their own force's figures."""

from tests.permissions.test_matrix import ACTORS, SUPERVISORS


def entries(world) -> dict:
    seeing = SUPERVISORS | {"analyst"}
    answers = {a: 200 if a in seeing else 403 for a in ACTORS}
    return {"reports:performance": ("get", [], answers), "reports:pack": ("get", [], answers)}
