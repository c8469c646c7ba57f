"""A case's lifecycle in the permission matrix: opening a case by hand (a force's officers and
supervisors), adding victims and children (the owning force and victim-side IDVAs), the status
(the owning force's officers and supervisors), reopening (a closed case only), staffing (the owning
supervisors; an IDVA service on the case for its IDVA), transfer (the owning supervisors ask, a
force's supervisors decide)."""

from tests.permissions.test_matrix import ACTORS, FORCE_SUPERVISORS, OWNING_CASEWORKERS, SEE_CASE, SUPERVISORS

FORCE_POLICE = {"assigned_officer", "unassigned_officer", "area_officer"} | FORCE_SUPERVISORS
OWNING_SUPERVISORS = {"area_supervisor", "force_inspector"}
VICTIM_SIDE_IDVAS = {"granted_idva", "assigned_idva"}


def _on_case(allowed: set[str]) -> dict[str, int]:
    """200 for those allowed; 403 for others who see the case; 404 for those who do not."""
    return {a: 200 if a in allowed else 403 if a in SEE_CASE else 404 for a in ACTORS}


def entries(world) -> dict:
    case = world.case
    return {
        "intake:open": (
            "get",
            [],
            {a: 200 if a in FORCE_POLICE or a == "other_force_inspector" else 403 for a in ACTORS},
        ),
        "intake:add_victim": ("get", [case.public_id], _on_case(OWNING_CASEWORKERS | VICTIM_SIDE_IDVAS)),
        "intake:add_child": ("get", [case.public_id], _on_case(OWNING_CASEWORKERS | VICTIM_SIDE_IDVAS)),
        "cases:status": ("get", [case.public_id], _on_case(OWNING_CASEWORKERS)),
        # The case is open: nobody reopens it.
        "cases:reopen": ("get", [case.public_id], _on_case(set())),
        "oversight:staff": ("get", [case.public_id], _on_case(OWNING_SUPERVISORS | VICTIM_SIDE_IDVAS)),
        "oversight:transfer_request": ("get", [case.public_id], _on_case(OWNING_SUPERVISORS)),
        # A POST decides a transfer: with none named, there is none to decide (404).
        "oversight:transfers": (
            "get",
            [],
            {a: 200 if a in SUPERVISORS else 403 for a in ACTORS},
            {a: 404 if a in SUPERVISORS else 403 for a in ACTORS},
        ),
    }
