"""The header search in the permission matrix: every role that has the case list (not auditors or
data protection officers)."""

from dacrre.accounts.models import Role
from tests.permissions.test_matrix import ACTOR_SPECS, ACTORS


def entries(world) -> dict:
    return {
        "search:results": (
            "get",
            [],
            {a: 403 if ACTOR_SPECS[a].role in {Role.AUDITOR, Role.DPO} else 200 for a in ACTORS},
        ),
    }
