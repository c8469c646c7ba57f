"""A programme's progress: its stage (explicit moves), attendance at sessions, and its own measure
of the behaviour at the start and at exit. Recorded by the programme's lead agency."""

import datetime
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import CaseStatus, ChronologyKind
from cases.services import chronology_record
from dacrre.accounts.models import User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, ConflictError, InvalidTransitionError, PermissionDeniedError

from .models import (
    STAGE_MOVES,
    BehaviourCategory,
    BehaviourMeasure,
    Frequency,
    MeasurePoint,
    ProgrammeAllocation,
    ProgrammeAttendance,
    ProgrammeStage,
    ProgrammeStageChange,
)
from .rules import can_run_programme


def _require(actor: User, allocation: ProgrammeAllocation) -> None:
    if not can_run_programme(actor, allocation):
        raise PermissionDeniedError("The programme's progress is recorded by the agency that runs it.")


def _check_day(day: datetime.date, field: str, allocation: ProgrammeAllocation) -> None:
    dates.PROGRAMME_STARTS.check(day, field=field)
    if day > timezone.localdate():
        raise ApplicationError("The date cannot be in the future", field=field)
    if day < allocation.starts_on:
        raise ApplicationError(f"The date must be on or after the start, {allocation.starts_on:%-d %b %Y}", field=field)


@transaction.atomic
def programme_stage_move(
    *, actor: User, allocation: ProgrammeAllocation, to_stage: ProgrammeStage | str, on: datetime.date, note: str = ""
) -> ProgrammeAllocation:
    """Move the programme on, or withdraw it. The row is locked: two moves at once, the second is
    told what the stage now is."""
    locked = ProgrammeAllocation.objects.select_for_update().get(pk=allocation.pk)
    _require(actor, locked)
    if to_stage not in STAGE_MOVES[locked.stage]:
        now = ProgrammeStage(locked.stage).label.lower()
        raise InvalidTransitionError(
            f"The programme is {now}: it cannot be moved to {ProgrammeStage(to_stage).label.lower()}."
        )
    if to_stage == ProgrammeStage.WITHDRAWN and not note.strip():
        raise ApplicationError("Say why the perpetrator withdrew or was withdrawn", field="note")
    _check_day(on, "on", locked)
    ProgrammeStageChange.objects.create(
        allocation=locked,
        from_stage=locked.stage,
        to_stage=to_stage,
        changed_on=on,
        note=note.strip(),
        changed_by=actor,
    )
    locked.stage = to_stage
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["stage"])
    for case in locked.perpetrator.cases.exclude(status=CaseStatus.CLOSED):
        chronology_record(
            case=case,
            kind=ChronologyKind.ALLOCATION,
            actor=actor,
            summary=f"{locked.get_programme_display()}: {ProgrammeStage(to_stage).label.lower()} on {on:%d %b %Y}.",
        )
    return locked


def attendance_record(
    *, actor: User, allocation: ProgrammeAllocation, session_on: datetime.date, attended: bool, note: str = ""
) -> ProgrammeAttendance:
    _require(actor, allocation)
    _check_day(session_on, "session_on", allocation)
    if allocation.stage in (ProgrammeStage.COMPLETED, ProgrammeStage.WITHDRAWN):
        raise InvalidTransitionError("The programme has ended: no more sessions are recorded.")
    try:
        with transaction.atomic():
            return ProgrammeAttendance.objects.create(
                allocation=allocation, session_on=session_on, attended=attended, note=note.strip(), recorded_by=actor
            )
    except IntegrityError as exc:
        raise ConflictError(f"The session of {session_on:%-d %b %Y} is already recorded.", field="session_on") from exc


def behaviour_measure_record(
    *,
    actor: User,
    allocation: ProgrammeAllocation,
    point: MeasurePoint | str,
    measured_on: datetime.date,
    scores: Mapping[str, int],
) -> BehaviourMeasure:
    _require(actor, allocation)
    _check_day(measured_on, "measured_on", allocation)
    missing = [c for c in BehaviourCategory if scores.get(c.value) not in Frequency.values]
    if missing:
        raise ApplicationError(
            f"Say how often for every behaviour ({missing[0].label} is missing)", field=missing[0].value
        )
    if point == MeasurePoint.EXIT:
        start = BehaviourMeasure.objects.filter(allocation=allocation, point=MeasurePoint.START).first()
        if start is None:
            raise ApplicationError("Record the measure at the start first", field="point")
        if measured_on < start.measured_on:
            raise ApplicationError("The exit measure must be on or after the start measure", field="measured_on")
    try:
        with transaction.atomic():
            return BehaviourMeasure.objects.create(
                allocation=allocation,
                point=point,
                measured_on=measured_on,
                scores={c.value: int(scores[c.value]) for c in BehaviourCategory},
                recorded_by=actor,
            )
    except IntegrityError as exc:
        label = MeasurePoint(point).label.lower()
        raise ConflictError(f"The measure {label} is already recorded.", field="point") from exc
