"""Cadences: how often visits, risk reviews and safety-plan reviews fall due, by risk level.

Defaults come from the design brief; an operation may override any of them (CadenceRule rows).
"""

import datetime

from .models import CadenceKind, CadenceRule, Operation, RiskLevel

DEFAULT_CADENCE_DAYS: dict[str, dict[str, int]] = {
    CadenceKind.VISIT: {RiskLevel.HIGH: 14, RiskLevel.MEDIUM: 28, RiskLevel.STANDARD: 56},
    CadenceKind.RISK_REVIEW: {RiskLevel.HIGH: 28, RiskLevel.MEDIUM: 56, RiskLevel.STANDARD: 90},
    CadenceKind.SAFETY_PLAN_REVIEW: {RiskLevel.HIGH: 28, RiskLevel.MEDIUM: 56, RiskLevel.STANDARD: 56},
}


def cadence_days(*, kind: CadenceKind | str, risk_level: RiskLevel | str, operation: Operation | None) -> int:
    """Days between occurrences. A case not yet assessed is treated as high risk until it is."""
    level = RiskLevel.HIGH if risk_level == RiskLevel.NOT_ASSESSED else risk_level
    if operation is not None:
        override = (
            CadenceRule.objects.filter(operation=operation, kind=kind, risk_level=level)
            .values_list("days", flat=True)
            .first()
        )
        if override is not None:
            return override
    return DEFAULT_CADENCE_DAYS[kind][level]


def next_due(
    *, kind: CadenceKind | str, risk_level: RiskLevel | str, operation: Operation | None, after: datetime.date
) -> datetime.date:
    return after + datetime.timedelta(days=cadence_days(kind=kind, risk_level=risk_level, operation=operation))
