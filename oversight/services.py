"""Reallocating cases, moving a caseload during leave, and approving closures."""

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, ChronologyKind
from cases.selectors import cases_in_scope_of
from cases.services import case_change_status, chronology_record
from dacrre.accounts.models import Role, User
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from dacrre.reminders.models import Reminder, ReminderStatus
from dacrre.reminders.sweeps import reminders_reassign

from .models import CaseClosureRequest, ClosureStatus

# Which role on a case each holder field is, and who may hold it.
HOLDER_FIELDS = {
    "spoc": ("SPOC", {Role.OFFICER, Role.SUPERVISOR}),
    "offender_manager": ("offender manager", {Role.OFFICER, Role.SUPERVISOR, Role.PARTNER_CASEWORKER}),
    "idva": ("IDVA", {Role.IDVA}),
}
MIN_REASON = 10


def _require_supervisor(actor: User) -> None:
    if actor.role != Role.SUPERVISOR or actor.agency_id is None:
        raise PermissionDeniedError("Only a supervisor can do this.")


def _require_reason(reason: str, what: str) -> str:
    if len(reason.strip()) < MIN_REASON:
        raise ApplicationError(f"Say why {what} (at least {MIN_REASON} characters).", field="reason")
    return reason.strip()


def _notify_new_holder(holder: User, references: list[str], role_label: str, reason: str) -> None:
    if not holder.email or not references:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("cases:caseload")
    send_mail(
        f"{len(references)} case{'s' if len(references) != 1 else ''} allocated to you",
        f"You are now the {role_label} for: {', '.join(references)}.\nReason: {reason}\n\nYour caseload: {link}\n",
        None,
        [holder.email],
    )


@transaction.atomic
def cases_reallocate(*, actor: User, cases: Iterable[Case], field: str, to_user: User, reason: str) -> list[Case]:
    """Give each case a new SPOC, offender manager or IDVA. Open reminders on those cases go to
    whichever of the case's holders can now do them. Each case's chronology records it; the new
    holder gets an e-mail."""
    _require_supervisor(actor)
    if field not in HOLDER_FIELDS:
        raise ApplicationError("Choose whether to reallocate the SPOC, offender manager or IDVA.", field="field")
    role_label, allowed_roles = HOLDER_FIELDS[field]
    reason = _require_reason(reason, "the cases are being reallocated")
    name = to_user.get_full_name() or to_user.username
    if not to_user.is_active or to_user.role not in allowed_roles:
        raise ApplicationError(f"{name} cannot be a {role_label}.", field="to_user")
    if field == "spoc" and to_user.agency_id != actor.agency_id:
        raise ApplicationError(f"The SPOC comes from the owning force; {name} does not.", field="to_user")
    ids = [case.pk for case in cases]
    if not ids:
        raise ApplicationError("Choose at least one case.", field="cases")
    in_scope = list(cases_in_scope_of(actor).filter(pk__in=ids).exclude(status=CaseStatus.CLOSED).select_for_update())
    if len(in_scope) != len(set(ids)):
        raise PermissionDeniedError("Some of these cases are closed or not in your team.")
    moved = []
    for case in in_scope:
        previous = getattr(case, field)
        if previous == to_user:
            continue
        setattr(case, field, to_user)
        case._history_user = actor  # type: ignore[attr-defined]
        case.save(update_fields=[field, "updated_at"])
        before = previous.get_full_name() or previous.username if previous else "nobody"
        chronology_record(
            case=case,
            kind=ChronologyKind.ALLOCATION,
            actor=actor,
            summary=f"{role_label[0].upper() + role_label[1:]} changed from {before} to "
            f"{to_user.get_full_name() or to_user.username}. Reason: {reason}",
        )
        moved.append(case)
    # Open tasks follow the case's new holders, each to the one who can do it (not simply every task
    # the previous holder had: a probation offender manager cannot log a police visit).
    reminders_reassign(case_ids=[case.pk for case in moved])
    _notify_new_holder(to_user, [case.reference for case in moved], role_label, reason)
    return moved


@transaction.atomic
def caseload_move(*, actor: User, from_user: User, to_user: User, reason: str) -> int:
    """Leave or absence: every open case the person holds in the supervisor's team, in whichever
    role, goes to a colleague in one action. Returns the number of case roles moved."""
    _require_supervisor(actor)
    if from_user == to_user:
        raise ApplicationError("Choose a different colleague.", field="to_user")
    moved = 0
    for field in HOLDER_FIELDS:
        held = list(cases_in_scope_of(actor).exclude(status=CaseStatus.CLOSED).filter(**{field: from_user}))
        if held:
            moved += len(cases_reallocate(actor=actor, cases=held, field=field, to_user=to_user, reason=reason))
    if not moved:
        raise ApplicationError("This person holds no open cases in your team.", field="from_user")
    return moved


def may_request_closure(user: User, case: Case) -> bool:
    """The case's holders and the supervisors it belongs to."""
    holds = user.pk in {case.spoc_id, case.offender_manager_id, case.idva_id}
    return holds or cases_in_scope_of(user).filter(pk=case.pk).exists()


@transaction.atomic
def closure_request(*, actor: User, case: Case, reason: str) -> CaseClosureRequest:
    if not may_request_closure(actor, case):
        raise PermissionDeniedError("Only the case's holders or its supervisors can ask for it to be closed.")
    if case.status == CaseStatus.CLOSED:
        raise InvalidTransitionError("This case is already closed.")
    if CaseClosureRequest.objects.filter(case=case, status=ClosureStatus.PENDING).exists():
        raise InvalidTransitionError("A closure request for this case is already awaiting a supervisor.")
    request = CaseClosureRequest.objects.create(
        case=case, requested_by=actor, reason=_require_reason(reason, "the case can close")
    )
    chronology_record(
        case=case, kind=ChronologyKind.STATUS_CHANGED, actor=actor, summary=f"Closure requested: {request.reason}"
    )
    return request


@transaction.atomic
def closure_decide(*, actor: User, request: CaseClosureRequest, approve: bool, comments: str) -> CaseClosureRequest:
    _require_supervisor(actor)
    request = CaseClosureRequest.objects.select_for_update().select_related("case").get(pk=request.pk)
    if not cases_in_scope_of(actor).filter(pk=request.case_id).exists():
        raise PermissionDeniedError("This case is not in your team.")
    if request.status != ClosureStatus.PENDING:
        raise InvalidTransitionError("This request has already been decided.")
    if not approve and not comments.strip():
        raise ApplicationError("Say what needs doing before the case can close.", field="comments")
    request.status = ClosureStatus.APPROVED if approve else ClosureStatus.RETURNED
    request.decided_by, request.decided_at, request.comments = actor, timezone.now(), comments.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "comments"])
    if approve:
        case_change_status(
            actor=actor, case=request.case, to_status=CaseStatus.CLOSED, reason=f"Closure approved. {request.reason}"
        )
        Reminder.objects.filter(case=request.case, status=ReminderStatus.OPEN).update(
            status=ReminderStatus.DONE, closed_at=timezone.now()
        )
    else:
        chronology_record(
            case=request.case,
            kind=ChronologyKind.STATUS_CHANGED,
            actor=actor,
            summary=f"Closure request returned: {request.comments}",
        )
    return request
