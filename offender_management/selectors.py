from dataclasses import dataclass

from perpetrators.models import Perpetrator

from .models import Intervention, ProgrammeAllocation


@dataclass
class OffenderManagementSummary:
    allocations: list[ProgrammeAllocation]
    interventions: list[Intervention]


def offender_management_for(perpetrator: Perpetrator) -> OffenderManagementSummary:
    """For a perpetrator the caller has already found visible: two queries whatever the numbers."""
    return OffenderManagementSummary(
        allocations=list(ProgrammeAllocation.objects.filter(perpetrator=perpetrator).select_related("lead_agency")),
        interventions=list(Intervention.objects.filter(perpetrator=perpetrator).select_related("agency", "case")[:20]),
    )
