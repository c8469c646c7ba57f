"""Writes for operations, cases and the chronology. Every change records who made it."""

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from dacrre.accounts.models import Agency, Area, User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError
from dacrre.core.models import reference_next

from .access.services import case_access_revoke_all

# Part of this module's interface, where every app's services take it from.
from .closed import case_closed_message as case_closed_message
from .closed import case_require_open as case_require_open
from .models import (
    CadenceRule,
    Case,
    CaseChild,
    CaseStatus,
    CaseVictim,
    ChronologyEntry,
    ChronologyKind,
    ChronologyVisibility,
    Operation,
)

if TYPE_CHECKING:
    from perpetrators.models import Perpetrator
    from victims.models import Child, Victim

# The only status changes allowed; closure goes through supervisor approval (see the oversight work).
CASE_TRANSITIONS: dict[str, set[str]] = {
    CaseStatus.IDENTIFIED: {CaseStatus.ACTIVE, CaseStatus.CLOSED},
    CaseStatus.ACTIVE: {CaseStatus.UNDER_REVIEW, CaseStatus.CLOSED},
    CaseStatus.UNDER_REVIEW: {CaseStatus.ACTIVE, CaseStatus.CLOSED},
    CaseStatus.CLOSED: set(),
}


# Called with each victim newly on a case, in the transaction that put them there (justice raises the
# Victims' Code's first update to them); apps register at start-up, as case panels do.
VICTIM_ADDED_HOOKS: list[Callable[[CaseVictim], None]] = []


def case_victim_added(link: CaseVictim) -> None:
    """A victim is now on the case: tell the apps that registered (VICTIM_ADDED_HOOKS)."""
    for hook in VICTIM_ADDED_HOOKS:
        hook(link)


def chronology_record(
    *,
    case: Case,
    kind: ChronologyKind | str,
    summary: str,
    actor: User | None,
    occurred_at: datetime.datetime | None = None,
    visibility: ChronologyVisibility | str = ChronologyVisibility.ALL,
) -> ChronologyEntry:
    """Append to a case's chronology. Called by the service that made the change, in its transaction."""
    return ChronologyEntry.objects.create(
        case=case,
        kind=kind,
        summary=summary,
        actor=actor,
        occurred_at=occurred_at or timezone.now(),
        visibility=visibility,
    )


@transaction.atomic
def operation_create(
    *,
    actor: User | None,
    name: str,
    lead_agency: Agency,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    description: str = "",
) -> Operation:
    dates.OPERATION_STARTS.check(starts_on, field="starts_on")
    dates.OPERATION_ENDS.check(ends_on, field="ends_on")
    operation = Operation(
        name=name, lead_agency=lead_agency, starts_on=starts_on, ends_on=ends_on, description=description
    )
    operation._history_user = actor  # type: ignore[attr-defined]
    operation.full_clean()
    operation.save()
    return operation


@transaction.atomic
def case_open(
    *,
    actor: User | None,
    operation: Operation,
    perpetrator: "Perpetrator",
    owning_agency: Agency,
    area: Area,
    victims: Iterable["Victim"] = (),
    children: Iterable["Child"] = (),
    spoc: User | None = None,
    offender_manager: User | None = None,
    idva: User | None = None,
) -> Case:
    if area.agency_id != owning_agency.pk:
        raise ApplicationError("The area must belong to the owning agency.", field="area")
    case = Case(
        reference=reference_next(prefix=Case.REFERENCE_PREFIX),
        operation=operation,
        perpetrator=perpetrator,
        owning_agency=owning_agency,
        area=area,
        spoc=spoc,
        offender_manager=offender_manager,
        idva=idva,
    )
    case._history_user = actor  # type: ignore[attr-defined]
    case.save()
    for victim in victims:
        case_victim_added(CaseVictim.objects.create(case=case, victim=victim))
    for child in children:
        CaseChild.objects.create(case=case, child=child)
    chronology_record(
        case=case,
        kind=ChronologyKind.CASE_OPENED,
        summary=f"Case opened on {perpetrator} in {operation}.",
        actor=actor,
    )
    return case


@transaction.atomic
def case_change_status(*, actor: User | None, case: Case, to_status: CaseStatus, reason: str) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to_status not in CASE_TRANSITIONS[case.status]:
        raise InvalidTransitionError(
            f"A case that is {case.get_status_display().lower()} cannot become {to_status.label.lower()}."
        )
    previous = case.get_status_display()
    case.status = to_status
    case.closed_at = timezone.now() if to_status == CaseStatus.CLOSED else None
    case._history_user = actor  # type: ignore[attr-defined]
    case.save(update_fields=["status", "closed_at", "updated_at"])
    if to_status == CaseStatus.CLOSED:
        # A closed case is shared with no other agency any more.
        case_access_revoke_all(actor=actor, case=case, reason="Case closed")
    chronology_record(
        case=case,
        kind=ChronologyKind.STATUS_CHANGED,
        summary=f"Status changed from {previous} to {case.get_status_display()}. {reason}".strip(),
        actor=actor,
    )
    return case


@transaction.atomic
def operation_cadences_set(*, actor: User, operation: Operation, days: dict[tuple[str, str], int | None]) -> int:
    """Set the operation's own cadences: a number overrides the default, None goes back to it.
    Cases pick the new cadence up at their next visit or review. Returns the rules changed."""
    changed = 0
    for (kind, level), value in days.items():
        rule = CadenceRule.objects.filter(operation=operation, kind=kind, risk_level=level).first()
        if value is None:
            if rule is not None:
                rule._history_user = actor  # type: ignore[attr-defined]
                rule.delete()
                changed += 1
            continue
        if rule is None:
            rule = CadenceRule(operation=operation, kind=kind, risk_level=level, days=value)
        elif rule.days == value:
            continue
        rule.days = value
        rule._history_user = actor  # type: ignore[attr-defined]
        rule.full_clean()
        rule.save()
        changed += 1
    return changed
