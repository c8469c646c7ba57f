"""Operations created and changed in the app by the lead force's supervisors (the cadences have
their own page and service, `operation_cadences_set`)."""

import datetime
from collections.abc import Iterable

from django.db import transaction

from dacrre.accounts.models import Area, User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError

from .access.rules import can_manage_operations
from .closed import case_require_open
from .models import Case, CaseStatus, ChronologyKind, Operation
from .selectors import cases_visible_to
from .services import chronology_record, operation_create


def _check(
    *,
    actor: User,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    areas: Iterable[Area],
    exclude: int | None = None,
) -> None:
    if not can_manage_operations(actor):
        raise PermissionDeniedError("Operations are set up by the lead force's supervisors.")
    dates.OPERATION_STARTS.check(starts_on, field="starts_on")
    dates.OPERATION_ENDS.check(ends_on, field="ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise ApplicationError("The end date must be on or after the start date", field="ends_on")
    if any(area.agency_id != actor.agency_id for area in areas):
        raise ApplicationError("Choose areas of your own force", field="areas")
    same_name = Operation.objects.filter(name__iexact=name)
    if exclude is not None:
        same_name = same_name.exclude(pk=exclude)
    if same_name.exists():
        raise ApplicationError("There is already an operation with this name", field="name")


@transaction.atomic
def operation_set_up(
    *,
    actor: User,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    areas: Iterable[Area] = (),
    description: str = "",
) -> Operation:
    """A new operation led by the actor's force."""
    areas = list(areas)
    _check(actor=actor, name=name, starts_on=starts_on, ends_on=ends_on, areas=areas)
    operation = operation_create(
        actor=actor,
        name=name,
        lead_agency=actor.agency,  # type: ignore[arg-type]
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
    )
    operation.areas.set(areas)
    return operation


@transaction.atomic
def operation_change(
    *,
    actor: User,
    operation: Operation,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    areas: Iterable[Area] = (),
    description: str = "",
    is_active: bool = True,
) -> Operation:
    operation = Operation.objects.select_for_update().get(pk=operation.pk)
    if operation.lead_agency_id != actor.agency_id:
        raise PermissionDeniedError("Only the lead force changes an operation.")
    areas = list(areas)
    _check(actor=actor, name=name, starts_on=starts_on, ends_on=ends_on, areas=areas, exclude=operation.pk)
    operation.name, operation.starts_on, operation.ends_on = name, starts_on, ends_on
    operation.description, operation.is_active = description, is_active
    operation._history_user = actor  # type: ignore[attr-defined]
    operation.full_clean()
    operation.save()
    operation.areas.set(areas)
    return operation


@transaction.atomic
def operation_case_move(*, actor: User, operation: Operation, case_reference: str) -> Case:
    """Move one of the force's open cases into the operation (a seasonal cohort, a tasking): it takes
    the operation's cadences from its next visit or review. On the chronology."""
    if not can_manage_operations(actor) or operation.lead_agency_id != actor.agency_id:
        raise PermissionDeniedError("Only the lead force's supervisors add cases to an operation.")
    case = (
        cases_visible_to(actor)
        .filter(reference=case_reference.strip().upper(), owning_agency_id=actor.agency_id)
        .select_related("operation")
        .first()
    )
    if case is None:
        raise NotFoundError("No case of your force with this reference", field="case_reference")
    if case.status == CaseStatus.CLOSED:
        raise ApplicationError(f"Case {case.reference} is closed", field="case_reference")
    case_require_open(case)
    case = Case.objects.select_for_update().select_related("operation").get(pk=case.pk)
    if case.operation_id == operation.pk:
        raise ApplicationError(f"Case {case.reference} is already in this operation", field="case_reference")
    before = case.operation
    case.operation = operation
    case._history_user = actor  # type: ignore[attr-defined]
    case.save(update_fields=["operation", "updated_at"])
    chronology_record(
        case=case, kind=ChronologyKind.ALLOCATION, summary=f"Moved from {before} to {operation}.", actor=actor
    )
    return case
