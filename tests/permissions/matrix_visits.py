"""Visit pages in the permission matrix: a planned perpetrator visit on the case."""

import datetime

from django.utils import timezone

from tests.permissions.test_matrix import ACTORS, OWNING_CASEWORKERS, SEE_CASE
from visits.models import Visit


def entries(world) -> dict:
    visit = Visit.objects.filter(case=world.case).first() or Visit.objects.create(
        case=world.case, planned_for=timezone.now() + datetime.timedelta(days=2), recorded_by=world.case.spoc
    )
    officers = OWNING_CASEWORKERS  # the owning force's officers who see the case
    write = {a: (200 if a in officers else 403) if a in SEE_CASE else 404 for a in ACTORS}
    return {
        "visits:new": ("get", [world.case.public_id], write),
        "visits:plan": ("get", [world.case.public_id], write),
        "visits:detail": (
            "get",
            [world.case.public_id, visit.public_id],
            {a: 200 if a in SEE_CASE else 404 for a in ACTORS},
        ),
        # An empty reason is refused with the form shown again.
        "visits:cancel": ("post", [world.case.public_id, visit.public_id], write),
    }
