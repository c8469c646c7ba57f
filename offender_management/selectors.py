from dataclasses import dataclass

from perpetrators.models import Perpetrator

from .models import BehaviourCategory, BehaviourMeasure, Intervention, MeasurePoint, ProgrammeAllocation


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


@dataclass(frozen=True)
class MeasureRow:
    category: str
    start: int | None
    exit: int | None

    @property
    def reduced(self) -> bool | None:
        return None if self.start is None or self.exit is None else self.exit < self.start


def measures_compared(allocation: ProgrammeAllocation) -> list[MeasureRow]:
    """Each category of behaviour at the start and at exit: one query."""
    by_point = {m.point: m.scores for m in BehaviourMeasure.objects.filter(allocation=allocation)}
    start, exit_ = by_point.get(MeasurePoint.START), by_point.get(MeasurePoint.EXIT)
    return [
        MeasureRow(
            category=category.label,
            start=start.get(category.value) if start else None,
            exit=exit_.get(category.value) if exit_ else None,
        )
        for category in BehaviourCategory
    ]
