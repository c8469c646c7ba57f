import datetime

from django.db import transaction
from django.utils import timezone

from cases.access.models import GrantSource
from cases.access.services import case_access_end_at, case_access_grant, case_access_revoke
from cases.models import Case, CaseStatus, ChronologyKind
from cases.selectors import cases_visible_to
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import Agency, User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from perpetrators.models import Perpetrator

from .models import Intervention, InterventionType, Programme, ProgrammeAllocation
from .rules import can_allocate_programme, can_record_intervention


def _open_cases(perpetrator: Perpetrator) -> list[Case]:
    return list(perpetrator.cases.exclude(status=CaseStatus.CLOSED))


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _programme_access_grant(actor: User, allocation: ProgrammeAllocation) -> None:
    """The lead agency of a programme sees the perpetrator's open cases while the allocation lasts:
    the perpetrator side only (never victims' contact details, as for a perpetrator-side referral).
    Ends with the allocation's end date, on the next request after it."""
    for case in _open_cases(allocation.perpetrator):
        if case.owning_agency_id == allocation.lead_agency_id:
            continue
        case_access_grant(
            actor=actor,
            case=case,
            agency=allocation.lead_agency,
            source_kind=GrantSource.PROGRAMME,
            source_id=allocation.public_id,
            shares_victim_contact=False,
            purpose=f"Leads {allocation.get_programme_display()} for the perpetrator",
        )
    if allocation.ends_on is not None:
        case_access_end_at(
            source_kind=GrantSource.PROGRAMME, source_id=allocation.public_id, ends_at=_end_of(allocation.ends_on)
        )


@transaction.atomic
def programme_allocate(
    *,
    actor: User,
    perpetrator: Perpetrator,
    programme: Programme | str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    lead_agency: Agency,
    notes: str = "",
) -> ProgrammeAllocation:
    if not can_allocate_programme(actor, perpetrator):
        raise PermissionDeniedError("You cannot allocate this perpetrator to programmes.")
    dates.PROGRAMME_STARTS.check(starts_on, field="starts_on")
    dates.PROGRAMME_ENDS.check(ends_on, field="ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise ApplicationError("The end date must be the same as or after the start date", field="ends_on")
    today = timezone.localdate()
    already = ProgrammeAllocation.objects.filter(perpetrator=perpetrator, programme=programme).exclude(
        ends_on__lt=today
    )
    if already.exists():
        raise ApplicationError(
            f"{perpetrator} is already on {Programme(programme).label}. End that allocation first.", field="programme"
        )
    allocation = ProgrammeAllocation(
        perpetrator=perpetrator,
        programme=programme,
        starts_on=starts_on,
        ends_on=ends_on,
        lead_agency=lead_agency,
        notes=notes.strip(),
        allocated_by=actor,
    )
    allocation._history_user = actor  # type: ignore[attr-defined]
    allocation.save()
    _programme_access_grant(actor, allocation)
    for case in _open_cases(perpetrator):
        chronology_record(
            case=case,
            kind=ChronologyKind.ALLOCATION,
            actor=actor,
            summary=f"Allocated to {allocation.get_programme_display()} from {starts_on:%d %b %Y}, "
            f"led by {lead_agency.name}.",
        )
    return allocation


@transaction.atomic
def programme_end(*, actor: User, allocation: ProgrammeAllocation, ends_on: datetime.date, reason: str) -> None:
    if not can_allocate_programme(actor, allocation.perpetrator):
        raise PermissionDeniedError("You cannot change this perpetrator's programmes.")
    if allocation.ends_on is not None and allocation.ends_on < timezone.localdate():
        raise InvalidTransitionError("This allocation has already ended.")
    if not reason.strip():
        raise ApplicationError("Enter why the allocation ends", field="reason")
    dates.PROGRAMME_ENDS.check(ends_on, field="ends_on")
    if ends_on < allocation.starts_on:
        raise ApplicationError("The end date must be on or after the start date", field="ends_on")
    allocation.ends_on = ends_on
    allocation.ended_reason = reason.strip()
    allocation._history_user = actor  # type: ignore[attr-defined]
    allocation.save(update_fields=["ends_on", "ended_reason"])
    if ends_on < timezone.localdate():
        case_access_revoke(
            actor=actor, source_kind=GrantSource.PROGRAMME, source_id=allocation.public_id, reason=reason.strip()
        )
    else:
        case_access_end_at(source_kind=GrantSource.PROGRAMME, source_id=allocation.public_id, ends_at=_end_of(ends_on))
    for case in _open_cases(allocation.perpetrator):
        chronology_record(
            case=case,
            kind=ChronologyKind.ALLOCATION,
            actor=actor,
            summary=f"{allocation.get_programme_display()} ends {ends_on:%d %b %Y}: {reason.strip()}",
        )


@transaction.atomic
def intervention_record(
    *,
    actor: User,
    perpetrator: Perpetrator,
    case: Case | None,
    kind: InterventionType | str,
    occurred_on: datetime.date,
    description: str,
    outcome: str = "",
) -> Intervention:
    if not can_record_intervention(actor, perpetrator) or actor.agency is None:
        raise PermissionDeniedError("You cannot record interventions.")
    if occurred_on > timezone.localdate():
        raise ApplicationError("The date of the intervention cannot be in the future", field="occurred_on")
    dates.INTERVENTION_OCCURRED.check(occurred_on, field="occurred_on")
    if case is not None:
        case_require_open(case)
    if case is not None and not cases_visible_to(actor).filter(pk=case.pk, perpetrator=perpetrator).exists():
        raise ApplicationError("Choose one of this perpetrator's cases", field="case")
    if not description.strip():
        raise ApplicationError("Describe the intervention", field="description")
    intervention = Intervention(
        perpetrator=perpetrator,
        case=case,
        agency=actor.agency,
        kind=kind,
        occurred_on=occurred_on,
        description=description.strip(),
        outcome=outcome.strip(),
        recorded_by=actor,
    )
    intervention._history_user = actor  # type: ignore[attr-defined]
    intervention.save()
    summary = f"{intervention.get_kind_display()} intervention by {actor.agency.name}: {intervention.description}"
    for target in [case] if case is not None else _open_cases(perpetrator):
        chronology_record(case=target, kind=ChronologyKind.NOTE, actor=actor, summary=summary)
    return intervention
