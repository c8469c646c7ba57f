"""Offender-management pages in the permission matrix (they hang off the case's perpetrator)."""

from django.utils import timezone

from offender_management.models import Programme, ProgrammeAllocation
from tests.permissions.test_matrix import ACTORS, OWNING_CASEWORKERS, PERPETRATOR_SIDE_PARTNERS, SEE_CASE


def entries(world) -> dict:
    perpetrator = world.case.perpetrator
    allocation = ProgrammeAllocation.objects.filter(perpetrator=perpetrator).first() or (
        ProgrammeAllocation.objects.create(
            perpetrator=perpetrator,
            programme=Programme.DRIVE,
            starts_on=timezone.localdate(),
            lead_agency=world.case.owning_agency,
            allocated_by=world.case.spoc,
        )
    )
    allocators = OWNING_CASEWORKERS | PERPETRATOR_SIDE_PARTNERS
    allocate = {a: (200 if a in allocators else 403) if a in SEE_CASE else 404 for a in ACTORS}
    # Every caseworker who sees the perpetrator records interventions; the analyst does no casework.
    intervene = {a: (403 if a == "analyst" else 200) if a in SEE_CASE else 404 for a in ACTORS}
    return {
        "offender_management:allocate": ("get", [perpetrator.public_id], allocate),
        "offender_management:end_allocation": ("get", [perpetrator.public_id, allocation.public_id], allocate),
        "offender_management:record_intervention": ("get", [perpetrator.public_id], intervene),
        # Everyone who sees the perpetrator reads the programme; its lead agency (here the force) runs it.
        "offender_management:programme": (
            "get",
            [perpetrator.public_id, allocation.public_id],
            {a: 200 if a in SEE_CASE else 404 for a in ACTORS},
        ),
    }
