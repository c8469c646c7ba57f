"""Justice outcomes read from the incident extract, where it carries them (docs/import.md):
optional columns `arrested_at`, `charged_on`, `outcome_type` (the Home Office type, 1 to 22),
`outcome_on` and `nfa_reason`. Checked with the rest of the row (all or nothing, errors by row and
column); stored after the incidents, in the import's transaction, on the perpetrator's case in the
importing force (the open one, else the latest). A step already stored is not stored twice."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Case as Conditional
from django.db.models import IntegerField, Value, When
from django.utils import timezone

from cases.models import Case, CaseStatus
from dacrre.accounts.models import Agency, User
from dacrre.core.exceptions import ApplicationError
from incidents.import_hooks import ImportHook, register_import_hook
from incidents.importer import DATE_FORMATS, DATETIME_FORMATS, IncidentRow, RowError
from incidents.models import Incident

from .models import NFA_OUTCOMES, OUT_OF_COURT_OUTCOMES, EventKind, EventSource, HomeOfficeOutcome, JusticeEvent
from .services import Step, investigation_locked, step_apply

COLUMNS = ("arrested_at", "charged_on", "outcome_type", "outcome_on", "nfa_reason")
IMPORTED_NFA_REASON = "Recorded in the force's records system (imported)."


@dataclass(frozen=True)
class ImportedOutcome:
    arrested_at: datetime.datetime | None
    charged_at: datetime.datetime | None
    outcome_type: str
    outcome_at: datetime.datetime | None
    nfa_reason: str


def _moment(value: str, formats: list[str], row: int, column: str, errors: list[RowError]) -> datetime.datetime | None:
    for fmt in formats:
        try:
            parsed = datetime.datetime.strptime(value, fmt)  # noqa: DTZ007 - made aware below
        except ValueError:
            continue
        if parsed.time() == datetime.time(0) and fmt in DATE_FORMATS:
            parsed = parsed.replace(hour=12)
        return timezone.make_aware(parsed)
    errors.append(RowError(row, column, f"Enter a date like 2026-03-27 or 27/03/2026, not '{value}'", value))
    return None


def parse(  # noqa: C901 - one rule per column
    row: int, values: dict[str, str], occurred: datetime.datetime | None, errors: list[RowError]
) -> Any:
    if not any(values.get(column) for column in COLUMNS):
        return None
    before = len(errors)
    got: dict[str, datetime.datetime | None] = {}
    for column, formats in (
        ("arrested_at", DATETIME_FORMATS),
        ("charged_on", DATE_FORMATS),
        ("outcome_on", DATE_FORMATS),
    ):
        value = values.get(column, "")
        got[column] = _moment(value, formats, row, column, errors) if value else None
        moment = got[column]
        if moment is None:
            continue
        if moment.date() > timezone.localdate():
            errors.append(RowError(row, column, "This date is in the future"))
        elif occurred is not None and moment.date() < timezone.localtime(occurred).date():
            errors.append(RowError(row, column, "This date is before the incident"))
    outcome_type = values.get("outcome_type", "")
    if outcome_type and outcome_type not in HomeOfficeOutcome.values:
        errors.append(
            RowError(
                row,
                "outcome_type",
                f"Enter a Home Office outcome type from 1 to 22, not '{outcome_type}'",
                outcome_type,
            )
        )
    elif outcome_type == "4":
        errors.append(
            RowError(
                row, "outcome_type", "Type 4 (taken into consideration) belongs to the crime charged: leave it out"
            )
        )
    if outcome_type and got["outcome_on"] is None and not values.get("outcome_on"):
        errors.append(RowError(row, "outcome_on", "Give the date of the outcome with its type"))
    if values.get("outcome_on") and not outcome_type:
        errors.append(RowError(row, "outcome_type", "Give the outcome type with its date"))
    if got["charged_on"] is not None and outcome_type not in ("", "1"):
        errors.append(RowError(row, "charged_on", "A charge and an outcome other than 1 (charge) exclude each other"))
    if values.get("nfa_reason") and outcome_type not in NFA_OUTCOMES:
        errors.append(RowError(row, "nfa_reason", "A reason for no further action goes with an NFA outcome type"))
    if len(errors) > before:
        return None
    charged_at = got["charged_on"] or (got["outcome_on"] if outcome_type == "1" else None)
    return ImportedOutcome(
        got["arrested_at"],
        charged_at,
        "" if outcome_type == "1" else outcome_type,
        got["outcome_on"],
        values.get("nfa_reason", ""),
    )


def _steps(outcome: ImportedOutcome) -> list[Step]:
    steps = []
    if outcome.arrested_at is not None:
        steps.append(Step(kind=EventKind.ARREST, occurred_at=outcome.arrested_at))
    if outcome.charged_at is not None:
        steps.append(Step(kind=EventKind.CHARGE, occurred_at=outcome.charged_at))
    if outcome.outcome_type and outcome.outcome_at is not None:
        if outcome.outcome_type in NFA_OUTCOMES:
            steps.append(
                Step(
                    kind=EventKind.NFA,
                    occurred_at=outcome.outcome_at,
                    outcome_type=outcome.outcome_type,
                    reason=outcome.nfa_reason or IMPORTED_NFA_REASON,
                )
            )
        elif outcome.outcome_type in OUT_OF_COURT_OUTCOMES:
            steps.append(
                Step(kind=EventKind.OUT_OF_COURT, occurred_at=outcome.outcome_at, outcome_type=outcome.outcome_type)
            )
    return sorted(steps, key=lambda step: step.occurred_at)


def write(rows: list[IncidentRow], actor: User | None, agency: Agency) -> int:
    """Store the rows' steps; returns how many were stored (those already there, or that the crime's
    state no longer allows, such as an NFA on a crime charged since, are left)."""
    wanted = {row.source_reference: row.extra.get("justice") for row in rows if row.extra.get("justice")}
    if not wanted or actor is None:
        return 0
    incidents = list(Incident.objects.filter(source_reference__in=list(wanted), is_crime=True))
    cases: dict[int, Case] = {}
    for found in (
        Case.objects.filter(owning_agency=agency, perpetrator_id__in={i.perpetrator_id for i in incidents})
        .annotate(
            closed=Conditional(
                When(status=CaseStatus.CLOSED, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("perpetrator_id", "-closed", "opened_at")
    ):
        cases[found.perpetrator_id] = found  # the last wins: open before closed, then the latest opened
    stored = 0
    for incident in incidents:
        case = cases.get(incident.perpetrator_id)
        if case is None:
            continue
        investigation = investigation_locked(case=case, incident=incident)
        for step in _steps(wanted[incident.source_reference]):  # type: ignore[arg-type]
            if JusticeEvent.objects.filter(
                investigation=investigation, kind=step.kind, occurred_at=step.occurred_at
            ).exists():
                continue
            try:
                with transaction.atomic():
                    step_apply(actor=actor, investigation=investigation, step=step, source=EventSource.IMPORT)
            except ApplicationError:
                continue
            stored += 1
    return stored


register_import_hook(ImportHook(name="justice", columns=COLUMNS, parse=parse, write=write))
