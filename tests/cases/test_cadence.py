import datetime

import pytest

from cases.cadence import cadence_days, next_due
from cases.models import CadenceKind, CadenceRule, RiskLevel
from tests.factories import OperationFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "level", "days"),
    [
        (CadenceKind.VISIT, RiskLevel.HIGH, 14),
        (CadenceKind.VISIT, RiskLevel.MEDIUM, 28),
        (CadenceKind.VISIT, RiskLevel.STANDARD, 56),
        (CadenceKind.RISK_REVIEW, RiskLevel.HIGH, 28),
        (CadenceKind.RISK_REVIEW, RiskLevel.STANDARD, 90),
        (CadenceKind.SAFETY_PLAN_REVIEW, RiskLevel.MEDIUM, 56),
        (CadenceKind.VISIT, RiskLevel.NOT_ASSESSED, 14),
    ],
)
def test_default_cadences_follow_the_design(kind, level, days) -> None:
    assert cadence_days(kind=kind, risk_level=level, operation=OperationFactory()) == days


@pytest.mark.django_db
def test_an_operation_can_override_one_cadence_without_touching_the_others() -> None:
    operation, other = OperationFactory(), OperationFactory()
    CadenceRule.objects.create(operation=operation, kind=CadenceKind.VISIT, risk_level=RiskLevel.HIGH, days=7)
    assert cadence_days(kind=CadenceKind.VISIT, risk_level=RiskLevel.HIGH, operation=operation) == 7
    assert cadence_days(kind=CadenceKind.VISIT, risk_level=RiskLevel.MEDIUM, operation=operation) == 28
    assert cadence_days(kind=CadenceKind.VISIT, risk_level=RiskLevel.HIGH, operation=other) == 14
    assert next_due(
        kind=CadenceKind.VISIT, risk_level=RiskLevel.HIGH, operation=operation, after=datetime.date(2026, 12, 30)
    ) == datetime.date(2027, 1, 6)
