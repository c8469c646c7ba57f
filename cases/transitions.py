"""A case's status as explicit transitions, each with who may make it and a reason.

identified -> active -> under review -> active ...; closing goes through a supervisor's approval of a
closure request (oversight), never straight from here; a closed case is reopened (active again) by
a supervisor of the owning force, with a reason, its history kept."""

from dataclasses import dataclass

from django.db import transaction

from dacrre.accounts.models import Role, User
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError

from .access.rules import owning_police_user
from .models import Case, CaseStatus, ChronologyKind
from .services import case_change_status, chronology_record

MIN_REASON = 10


@dataclass(frozen=True)
class Transition:
    to_status: CaseStatus
    label: str  # what the button says


# The moves made on the status page (closing and reopening have their own pages).
MOVES: dict[str, list[Transition]] = {
    CaseStatus.IDENTIFIED: [Transition(CaseStatus.ACTIVE, "Make the case active")],
    CaseStatus.ACTIVE: [Transition(CaseStatus.UNDER_REVIEW, "Put the case under review")],
    CaseStatus.UNDER_REVIEW: [Transition(CaseStatus.ACTIVE, "Make the case active again")],
    CaseStatus.CLOSED: [],
}


def moves_for(user: User, case: Case) -> list[Transition]:
    """The status moves this user may make now: the owning force's officers and supervisors."""
    if not owning_police_user(user, case):
        return []
    return MOVES.get(case.status, [])


def may_reopen(user: User, case: Case) -> bool:
    return case.status == CaseStatus.CLOSED and user.role == Role.SUPERVISOR and owning_police_user(user, case)


def _reason(reason: str) -> str:
    if len(reason.strip()) < MIN_REASON:
        raise ApplicationError(f"Give the reason (at least {MIN_REASON} characters).", field="reason")
    return reason.strip()


@transaction.atomic
def case_transition(*, actor: User, case: Case, to_status: CaseStatus | str, reason: str) -> Case:
    """Move an open case to another status it may take; refused, saying why, when it may not."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if to_status == CaseStatus.CLOSED:
        raise InvalidTransitionError("A case closes when a supervisor approves a closure request: ask for it.")
    allowed = [move.to_status for move in MOVES.get(case.status, [])]
    if to_status not in allowed:
        if case.status == CaseStatus.CLOSED:
            raise InvalidTransitionError("This case is closed: a supervisor reopens it first.")
        raise InvalidTransitionError(
            f"A case that is {case.get_status_display().lower()} cannot become {CaseStatus(to_status).label.lower()}."
        )
    if not owning_police_user(actor, case):
        raise PermissionDeniedError("The owning force's officers and supervisors change a case's status.")
    return case_change_status(
        actor=actor, case=case, to_status=CaseStatus(to_status), reason=f"Reason: {_reason(reason)}"
    )


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    """A closed case becomes active again. Its history stays; the other agencies' access ended at
    closure and is given again only by a new referral or meeting."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.CLOSED:
        raise InvalidTransitionError(f"This case is {case.get_status_display().lower()}, not closed.")
    if not may_reopen(actor, case):
        raise PermissionDeniedError("A supervisor of the owning force reopens a closed case.")
    reason = _reason(reason)
    case.status, case.closed_at = CaseStatus.ACTIVE, None
    case._history_user = actor  # type: ignore[attr-defined]
    case.save(update_fields=["status", "closed_at", "updated_at"])
    chronology_record(case=case, kind=ChronologyKind.REOPENED, actor=actor, summary=f"Case reopened. Reason: {reason}")
    return case
