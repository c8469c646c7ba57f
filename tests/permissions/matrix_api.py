"""REST API routes in the permission matrix (the session login is used; tokens are tested in tests/referrals)."""

from tests.permissions.matrix_referrals import _referral
from tests.permissions.test_matrix import ACTORS


def entries(world) -> dict:
    referral = _referral(world)
    sees_referral = {"assigned_officer", "area_supervisor", "ungranted_housing"}
    sent_to = "ungranted_housing"
    # Empty bodies are refused with 400 before any change, for whoever may see the referral.
    refused_body = {a: 400 if a in sees_referral else 404 for a in ACTORS}
    return {
        "api:api-root": ("get", [], dict.fromkeys(ACTORS, 200)),
        "api:referral-list": ("get", [], dict.fromkeys(ACTORS, 200)),
        "api:referral-detail": ("get", [referral.public_id], {a: 200 if a in sees_referral else 404 for a in ACTORS}),
        "api:referral-accept": (
            "post",
            [referral.public_id],
            {a: 200 if a == sent_to else 403 if a in sees_referral else 404 for a in ACTORS},
        ),
        "api:referral-decline": ("post", [referral.public_id], refused_body),
        "api:referral-complete": ("post", [referral.public_id], refused_body),
        "api:referral-updates": ("post", [referral.public_id], refused_body),
    }
