"""The report's equipment and programme figures, on a hand-built dataset with the expected numbers
worked out here."""

import datetime
from decimal import Decimal

import pytest

from dacrre.accounts.models import AgencyKind, AgencySide
from equipment.models import EquipmentIssue, EquipmentItem, Fund
from offender_management.models import (
    BehaviourCategory,
    BehaviourMeasure,
    Programme,
    ProgrammeAllocation,
    ProgrammeStage,
    ProgrammeStageChange,
)
from reports.selectors import Period, performance_report
from tests.factories import AgencyFactory, CaseChildFactory, CaseFactory, CaseVictimFactory, UserFactory

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
IN = datetime.date(2026, 3, 1)
LAST_YEAR = datetime.date(2025, 3, 1)


def _figures(sections) -> dict:
    return {row.label: (row.this, row.last) for section in sections for row in section.rows}


@pytest.mark.django_db
def test_equipment_issued_and_spend_per_fund() -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    force = case.owning_agency
    victim = CaseVictimFactory(case=case).victim
    fund = Fund.objects.create(agency=force, name="Intervention fund", created_by=officer)

    def item(number: str, cost: str, bought: datetime.date) -> EquipmentItem:
        return EquipmentItem.objects.create(
            agency=force,
            kind="dash_camera",
            asset_number=number,
            fund=fund,
            cost=Decimal(cost),
            bought_on=bought,
            added_by=officer,
        )

    now, before = item("A", "100.40", IN), item("B", "50", LAST_YEAR)
    item("C", "10", datetime.date(2026, 8, 1))  # after the period: not counted
    EquipmentIssue.objects.create(item=now, case=case, victim=victim, issued_on=IN, issued_by=officer)
    EquipmentIssue.objects.create(
        item=before, case=case, victim=victim, issued_on=LAST_YEAR, issued_by=officer, returned_on=LAST_YEAR
    )
    figures = _figures(performance_report(agency=force, period=PERIOD))
    assert figures["Equipment issued to victims"] == (1, 1)
    assert figures["Spend, Intervention fund (£)"] == (100, 50)


@pytest.mark.django_db
def test_programme_allocations_their_people_and_what_reduced() -> None:
    officer = UserFactory()
    provider = AgencyFactory(kind=AgencyKind.PERPETRATOR_PROGRAMME, side=AgencySide.PERPETRATOR)
    first, second = (CaseFactory(area=officer.area, spoc=officer) for _ in range(2))
    CaseVictimFactory(case=first)
    CaseVictimFactory(case=first)
    CaseChildFactory(case=first)
    CaseVictimFactory(case=second)

    def allocate(case, starts_on):
        return ProgrammeAllocation.objects.create(
            perpetrator=case.perpetrator,
            programme=Programme.DRIVE,
            starts_on=starts_on,
            lead_agency=provider,
            allocated_by=officer,
        )

    this_year, last_year = allocate(first, IN), allocate(second, LAST_YEAR)
    ProgrammeStageChange.objects.create(
        allocation=this_year, from_stage="engaged", to_stage=ProgrammeStage.COMPLETED, changed_on=IN, changed_by=officer
    )
    ProgrammeStageChange.objects.create(
        allocation=last_year,
        from_stage="referred",
        to_stage=ProgrammeStage.WITHDRAWN,
        changed_on=LAST_YEAR,
        changed_by=officer,
    )
    high = {category.value: 3 for category in BehaviourCategory}
    BehaviourMeasure.objects.create(
        allocation=this_year, point="start", measured_on=IN, scores=high, recorded_by=officer
    )
    BehaviourMeasure.objects.create(
        allocation=this_year,
        point="exit",
        measured_on=IN + datetime.timedelta(days=60),
        scores=dict(high, physical=0, economic=2),
        recorded_by=officer,
    )
    figures = _figures(performance_report(agency=first.owning_agency, period=PERIOD))
    assert figures["Perpetrators allocated to a programme"] == (1, 1)
    assert figures["Victims associated with them"] == (2, 1)
    assert figures["Children associated with them"] == (1, 0)
    assert figures["Programmes completed"] == (1, 0)
    assert figures["Programmes withdrawn from"] == (0, 1)
    assert figures["Reduced at exit: physical abuse"] == (1, 0)
    assert figures["Reduced at exit: economic abuse"] == (1, 0)
    assert figures["Reduced at exit: sexual abuse"] == (0, 0)
