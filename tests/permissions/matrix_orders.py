"""Order pages in the permission matrix."""

from django.utils import timezone

from orders.models import OrderKind, ProtectiveOrder
from tests.permissions.test_matrix import ACTORS, OWNING_CASEWORKERS, SEE_CASE


def entries(world) -> dict:
    order = ProtectiveOrder.objects.filter(case=world.case).first() or ProtectiveOrder.objects.create(
        case=world.case,
        kind=OrderKind.BAIL,
        starts_on=timezone.localdate(),
        conditions="Not to contact the victim",
        recorded_by=world.case.spoc,
    )
    write = {a: (200 if a in OWNING_CASEWORKERS else 403) if a in SEE_CASE else 404 for a in ACTORS}
    return {
        "orders:new": ("get", [world.case.public_id], write),
        "orders:edit": ("get", [world.case.public_id, order.public_id], write),
        # Everyone who sees the case reads it; recording a breach (POST) is for the owning force.
        "orders:detail": (
            "get",
            [world.case.public_id, order.public_id],
            {a: 200 if a in SEE_CASE else 404 for a in ACTORS},
            write,
        ),
    }
