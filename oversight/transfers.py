"""Transferring a case to another area of the force, or to another force on the system.

A supervisor of the owning force asks, with a reason; a supervisor of the receiving force (whose
team the receiving area is in) accepts or declines. On acceptance the case's owning agency and area
change, its holders are cleared for the receiving force to allocate, and a force that gave the case
away keeps read access to it for TRANSFER_READ_ACCESS_DAYS by an expiring grant (on the access log).
Both the request and the decision lock their rows: a transfer is decided once."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.access.models import GrantSource
from cases.access.services import case_access_end_at, case_access_grant
from cases.models import CASE_HOLDER_FIELDS, Case, ChronologyKind
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import Area, Scope, User
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from reminders.sweeps import reminders_reassign

from .models import CaseTransfer, TransferStatus
from .rules import can_decide_transfers, can_request_transfer
from .services import _name, _require_reason


def transfer_pending_for(case: Case) -> CaseTransfer | None:
    return (
        CaseTransfer.objects.filter(case=case, status=TransferStatus.PENDING)
        .select_related("to_area__agency", "requested_by")
        .first()
    )


def transfers_awaiting(user: User) -> QuerySet[CaseTransfer]:
    """The transfers a receiving supervisor decides: to their force, and to their area when their
    scope is their area."""
    if not can_decide_transfers(user):
        return CaseTransfer.objects.none()
    awaiting = CaseTransfer.objects.filter(status=TransferStatus.PENDING, to_agency_id=user.agency_id)
    if user.scope != Scope.AGENCY:
        awaiting = awaiting.filter(to_area_id=user.area_id)
    return awaiting.select_related("case", "from_agency", "from_area", "to_area", "requested_by")


def transfer_destinations(case: Case) -> QuerySet[Area]:
    """Another area of the force, or an area of another active police force on the system."""
    return (
        Area.objects.filter(agency__kind="police", agency__is_active=True)
        .exclude(pk=case.area_id)
        .select_related("agency")
        .order_by("agency__name", "name")
    )


@transaction.atomic
def transfer_request(*, actor: User, case: Case, to_area: Area, reason: str) -> CaseTransfer:
    case = Case.objects.select_for_update().get(pk=case.pk)
    case_require_open(case)
    if not can_request_transfer(actor, case):
        raise PermissionDeniedError("Cases are transferred by the owning force's supervisors.")
    pending = transfer_pending_for(case)
    if pending is not None:
        raise InvalidTransitionError(
            f"A transfer of this case to {pending.to_area} is already awaiting a decision: "
            f"{_name(pending.requested_by)} asked on {timezone.localtime(pending.requested_at):%-d %b %Y}."
        )
    if not transfer_destinations(case).filter(pk=to_area.pk).exists():
        raise ApplicationError("Choose another area of your force or an area of another force.", field="to_area")
    reason = _require_reason(reason, "the case is being transferred")
    try:
        with transaction.atomic():
            transfer = CaseTransfer.objects.create(
                case=case,
                from_agency_id=case.owning_agency_id,
                from_area_id=case.area_id,
                to_agency_id=to_area.agency_id,
                to_area=to_area,
                requested_by=actor,
                reason=reason,
            )
    except IntegrityError as exc:
        raise InvalidTransitionError("A transfer of this case is already awaiting a decision.") from exc
    chronology_record(
        case=case, kind=ChronologyKind.TRANSFER, actor=actor, summary=f"Transfer to {to_area} requested: {reason}"
    )
    return transfer


def transfer_decided_message(transfer: CaseTransfer) -> str:
    when = f" on {timezone.localtime(transfer.decided_at):%-d %b %Y at %H:%M}" if transfer.decided_at else ""
    return (
        f"The transfer of case {transfer.case.reference} was already {transfer.get_status_display().lower()} by "
        f"{_name(transfer.decided_by)}{when}. Nothing was changed."
    )


def _may_decide(actor: User, transfer: CaseTransfer) -> bool:
    return can_decide_transfers(actor) and transfers_awaiting(actor).filter(pk=transfer.pk).exists()


@transaction.atomic
def transfer_decide(*, actor: User, transfer: CaseTransfer, accept: bool, note: str = "") -> CaseTransfer:
    transfer = CaseTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferStatus.PENDING:
        raise InvalidTransitionError(transfer_decided_message(transfer))
    if not _may_decide(actor, transfer):
        raise PermissionDeniedError("Transfers are decided by the receiving force's supervisors.")
    if not accept and not note.strip():
        raise ApplicationError("Say why the transfer is declined.", field="note")
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    now = timezone.now()
    transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
    transfer.decided_by, transfer.decided_at, transfer.decision_note = actor, now, note.strip()
    if not accept:
        transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        chronology_record(
            case=case,
            kind=ChronologyKind.TRANSFER,
            actor=actor,
            summary=f"Transfer to {transfer.to_area} declined: {transfer.decision_note}",
        )
        return transfer
    case_require_open(case)
    case.owning_agency_id, case.area_id = transfer.to_agency_id, transfer.to_area_id
    for name in CASE_HOLDER_FIELDS:
        setattr(case, name, None)
    case._history_user = actor  # type: ignore[attr-defined]
    case.save(update_fields=["owning_agency", "area", *CASE_HOLDER_FIELDS, "updated_at"])
    summary = (
        f"Transferred from {transfer.from_area} to {transfer.to_area}; "
        "its holders (SPOC, offender manager, IDVA, stalking specialists) are to be allocated again."
    )
    if transfer.to_agency_id != transfer.from_agency_id:
        until = now + datetime.timedelta(days=settings.TRANSFER_READ_ACCESS_DAYS)
        transfer.sender_access_until = until
        case_access_grant(
            actor=actor,
            case=case,
            agency=transfer.from_agency,
            source_kind=GrantSource.TRANSFER,
            source_id=transfer.public_id,
            purpose=f"Read access after transferring case {case.reference}",
        )
        case_access_end_at(source_kind=GrantSource.TRANSFER, source_id=transfer.public_id, ends_at=until)
        summary += f" {transfer.from_agency} keeps read access until {timezone.localtime(until):%-d %b %Y}."
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "sender_access_until"])
    chronology_record(case=case, kind=ChronologyKind.TRANSFER, actor=actor, summary=summary)
    reminders_reassign(case_ids=[case.pk])
    return transfer
