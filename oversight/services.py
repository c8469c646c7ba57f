"""Reallocating cases, moving a caseload during leave, and approving closures.

Each of these checks then acts on a case that another supervisor may be changing at the same moment,
so each locks the rows it decides on: a reallocation changes a case only if its holder is still the
one the supervisor saw; one closure request waits per case; a request is decided once.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus, ChronologyEntry, ChronologyKind
from cases.selectors import cases_in_scope_of
from cases.services import case_change_status, case_closed_message, case_require_open, chronology_record
from dacrre.accounts.models import Role, User
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from disclosures.models import Decision, DisclosureApplication
from meetings.models import ActionStatus, MeetingAction
from referrals.models import Referral, ReferralStatus
from reminders.models import Reminder, ReminderStatus
from reminders.sweeps import reminders_reassign
from visits.models import Visit, VisitStatus

from .models import CaseClosureRequest, ClosureStatus

# Which role on a case each holder field is, and who may hold it.
HOLDER_FIELDS = {
    "spoc": ("SPOC", {Role.OFFICER, Role.SUPERVISOR}),
    "offender_manager": ("offender manager", {Role.OFFICER, Role.SUPERVISOR, Role.PARTNER_CASEWORKER}),
    "idva": ("IDVA", {Role.IDVA}),
    "stalking_officer": ("stalking specialist officer", {Role.OFFICER, Role.SUPERVISOR}),
    "stalking_idva": ("stalking IDVA", {Role.IDVA}),
}
# Roles held by someone of the owning force.
OWNING_FORCE_FIELDS = frozenset({"spoc", "stalking_officer"})
MIN_REASON = 10
# A change made this recently is "a moment ago" in the message to a supervisor who lost the race.
A_MOMENT = datetime.timedelta(minutes=5)


@dataclass
class Reallocation:
    """What a reallocation did: the case roles it moved, and a message for each chosen case that had
    changed since the supervisor saw it (nothing was changed on those)."""

    moved: list[Case] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else "nobody"


def _when(moment: datetime.datetime) -> str:
    if timezone.now() - moment < A_MOMENT:
        return "a moment ago"
    return f"at {timezone.localtime(moment):%H:%M on %-d %b %Y}"


def _require_supervisor(actor: User) -> None:
    if actor.role != Role.SUPERVISOR or actor.agency_id is None:
        raise PermissionDeniedError("Only a supervisor can do this.")


def _require_reason(reason: str, what: str) -> str:
    if len(reason.strip()) < MIN_REASON:
        raise ApplicationError(f"Say why {what} (at least {MIN_REASON} characters).", field="reason")
    return reason.strip()


def _notify_new_holder(holder: User, references: list[str], role_label: str) -> None:
    """Sent when the reallocation commits, so only to someone who really holds the cases. The reason
    stays in the app (on each case's chronology): typed by a supervisor, it can name people, and an
    e-mail carries no personal details."""
    if not holder.email or not references:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("cases:caseload")
    subject = f"{len(references)} case{'s' if len(references) != 1 else ''} allocated to you"
    body = f"You are now the {role_label} for: {', '.join(references)}.\n\nYour caseload: {link}\n"
    transaction.on_commit(lambda: send_mail(subject, body, None, [holder.email]))


def _changed_meanwhile(case: Case, field_name: str, role_label: str) -> str:
    """Why a chosen case was left alone: closed, or reallocated by someone else since the page was shown."""
    if case.status == CaseStatus.CLOSED:
        return f"{case_closed_message(case)} Nothing changed for it."
    entry = (
        ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.ALLOCATION)
        .select_related("actor")
        .order_by("-occurred_at", "-pk")
        .first()
    )
    holder = _name(getattr(case, field_name))
    by = f" by {_name(entry.actor)} {_when(entry.occurred_at)}" if entry is not None else " meanwhile"
    return f"{case.reference} was reallocated to {holder} as {role_label}{by}; nothing changed for it."


@transaction.atomic
def cases_reallocate(
    *,
    actor: User,
    cases: Iterable[Case],
    field: str,
    to_user: User,
    reason: str,
    seen_holders: Mapping[int, int | None] | None = None,
) -> Reallocation:
    """Give each case a new SPOC, offender manager or IDVA. Open reminders the previous holder owed
    on those cases move with them. Each case's chronology records it; the new holder gets an e-mail
    once it commits.

    `seen_holders` (case id: holder's user id, or None for nobody) is what the supervisor saw: a case
    whose holder has changed since, or that has closed, is left as it is and reported in
    `conflicts`. The cases are locked while this is decided, so of two supervisors reallocating the
    same case at once, exactly one changes it."""
    _require_supervisor(actor)
    if field not in HOLDER_FIELDS:
        raise ApplicationError("Choose which role on the cases to reallocate.", field="field")
    role_label, allowed_roles = HOLDER_FIELDS[field]
    reason = _require_reason(reason, "the cases are being reallocated")
    name = _name(to_user)
    if not to_user.is_active or to_user.role not in allowed_roles:
        raise ApplicationError(f"{name} cannot be a {role_label}.", field="to_user")
    if field in OWNING_FORCE_FIELDS and to_user.agency_id != actor.agency_id:
        raise ApplicationError(f"The {role_label} comes from the owning force; {name} does not.", field="to_user")
    ids = {case.pk for case in cases}
    if not ids:
        raise ApplicationError("Choose at least one case.", field="cases")
    # No select_related here: when a row changed while this waited for its lock, PostgreSQL rereads
    # the row but not the rows joined to it, and the joined holder would come back empty.
    locked = list(cases_in_scope_of(actor).filter(pk__in=ids).select_for_update().order_by("pk"))
    if len(locked) != len(ids):
        raise PermissionDeniedError("Some of these cases are not in your team.")
    seen = seen_holders or {}
    result = Reallocation()
    for case in locked:
        previous = getattr(case, field)
        if case.status == CaseStatus.CLOSED or (case.pk in seen and seen[case.pk] != getattr(case, f"{field}_id")):
            result.conflicts.append(_changed_meanwhile(case, field, role_label))
            continue
        if previous == to_user:
            continue
        setattr(case, field, to_user)
        case._history_user = actor  # type: ignore[attr-defined]
        case.save(update_fields=[field, "updated_at"])
        chronology_record(
            case=case,
            kind=ChronologyKind.ALLOCATION,
            actor=actor,
            summary=f"{role_label[0].upper() + role_label[1:]} changed from {_name(previous)} to {name}. "
            f"Reason: {reason}",
        )
        result.moved.append(case)
    # Open tasks follow the case's new holders, each to the one who can do it (not simply every task
    # the previous holder had: a probation offender manager cannot log a police visit).
    reminders_reassign(case_ids=[case.pk for case in result.moved])
    _notify_new_holder(to_user, [case.reference for case in result.moved], role_label)
    return result


@transaction.atomic
def caseload_move(*, actor: User, from_user: User, to_user: User, reason: str) -> Reallocation:
    """Leave or absence: every open case the person holds in the supervisor's team, in whichever
    role, goes to a colleague in one action. A case another supervisor moved meanwhile is left as it
    is and reported. `moved` lists each case role moved."""
    _require_supervisor(actor)
    if from_user == to_user:
        raise ApplicationError("Choose a different colleague.", field="to_user")
    result = Reallocation()
    for holder_field in HOLDER_FIELDS:
        held = list(cases_in_scope_of(actor).exclude(status=CaseStatus.CLOSED).filter(**{holder_field: from_user}))
        if held:
            part = cases_reallocate(
                actor=actor,
                cases=held,
                field=holder_field,
                to_user=to_user,
                reason=reason,
                seen_holders=dict.fromkeys((case.pk for case in held), from_user.pk),
            )
            result.moved += part.moved
            result.conflicts += part.conflicts
    if not result.moved and not result.conflicts:
        raise ApplicationError("This person holds no open cases in your team.", field="from_user")
    return result


def may_request_closure(user: User, case: Case) -> bool:
    """Who may ask for a case to be closed: its holders (SPOC, offender manager, IDVA, stalking
    specialists) and the
    supervisors whose team it is in. The one rule for the service, the page and the case page's link;
    seeing the case, or having it in one's scope without being a supervisor (an analyst), is not enough."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk in case.holder_ids():
        return True
    return user.role == Role.SUPERVISOR and cases_in_scope_of(user).filter(pk=case.pk).exists()


def closure_pending_for(case: Case) -> CaseClosureRequest | None:
    pending = CaseClosureRequest.objects.filter(case=case, status=ClosureStatus.PENDING)
    return pending.select_related("requested_by").first()


def already_requested_message(pending: CaseClosureRequest) -> str:
    return (
        f"A closure request for this case is already awaiting a supervisor: {_name(pending.requested_by)} asked "
        f"on {timezone.localtime(pending.requested_at):%-d %b %Y}."
    )


def closure_blockers_for(case_ids: Iterable[int]) -> dict[int, list[str]]:
    """Work that must not end with a case, for each of the cases in one query: a Clare's Law
    application awaiting its decision, or a decision to disclose whose disclosure is not recorded.
    The owning force finishes these first."""
    blockers: dict[int, list[str]] = {}
    pending = DisclosureApplication.objects.filter(case_id__in=list(case_ids)).exclude(outcome__gt="")
    for application in pending.order_by("received_on", "pk"):
        received = f"{application.received_on:%-d %b %Y}"
        if not application.decision:
            blocker = f"the Clare's Law application received on {received} awaits a decision"
        elif application.decision == Decision.DISCLOSE:
            blocker = f"the disclosure decided for the Clare's Law application of {received} is not recorded"
        else:
            continue
        blockers.setdefault(application.case_id, []).append(blocker)
    return blockers


def closure_blockers(case: Case) -> list[str]:
    return closure_blockers_for([case.pk]).get(case.pk, [])


def _require_no_blockers(case: Case) -> None:
    blockers = closure_blockers(case)
    if blockers:
        raise ApplicationError(f"Case {case.reference} cannot close yet: {'; '.join(blockers)}.")


@transaction.atomic
def closure_request(*, actor: User, case: Case, reason: str) -> CaseClosureRequest:
    # The case row is locked: of two requests sent at once, the second waits and finds the first.
    case = Case.objects.select_for_update().get(pk=case.pk)
    case_require_open(case)
    if not may_request_closure(actor, case):
        raise PermissionDeniedError("Only the case's holders or its supervisors can ask for it to be closed.")
    pending = closure_pending_for(case)
    if pending is not None:
        raise InvalidTransitionError(already_requested_message(pending))
    reason = _require_reason(reason, "the case can close")
    _require_no_blockers(case)
    try:
        with transaction.atomic():
            request = CaseClosureRequest.objects.create(case=case, requested_by=actor, reason=reason)
    except IntegrityError as exc:  # the unique constraint, should the lock ever be bypassed
        raise InvalidTransitionError("A closure request for this case is already awaiting a supervisor.") from exc
    chronology_record(
        case=case, kind=ChronologyKind.STATUS_CHANGED, actor=actor, summary=f"Closure requested: {request.reason}"
    )
    return request


def closure_decided_message(request: CaseClosureRequest) -> str:
    what = "approved it: the case is closed" if request.status == ClosureStatus.APPROVED else "returned it"
    when = f" on {timezone.localtime(request.decided_at):%-d %b %Y at %H:%M}" if request.decided_at else ""
    return (
        f"The closure request for case {request.case.reference} was already decided by "
        f"{_name(request.decided_by)}{when}, who {what}. Nothing was changed."
    )


def _wind_down(*, actor: User, case: Case) -> list[str]:
    """Close the work still open on a case that has just closed, so that nobody is left with a task
    on a case that refuses every change: referrals not finished are withdrawn (the other agencies'
    access ended with the closure), open meeting actions are closed as no longer needed, and planned
    visits are cancelled. Returns what was done, for the chronology."""
    now = timezone.now()
    note = f"case {case.reference} was closed on {timezone.localtime(now):%-d %b %Y}"
    done = []
    referrals = list(
        Referral.objects.filter(
            case=case, status__in=[ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED]
        ).order_by("pk")
    )
    for referral in referrals:
        referral.status, referral.withdrawn_at = ReferralStatus.WITHDRAWN, now
        referral.withdraw_reason = f"Withdrawn because the {note}."
        referral._history_user = actor  # type: ignore[attr-defined]
        referral.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    if referrals:
        references = ", ".join(r.reference for r in referrals)
        done.append(f"referral{'s' if len(referrals) != 1 else ''} {references} withdrawn")
    actions = list(MeetingAction.objects.filter(agenda_item__case=case, status=ActionStatus.OPEN))
    for action in actions:
        action.status, action.completed_by, action.completed_at = ActionStatus.COMPLETED, actor, now
        action.outcome = f"No longer needed: the {note}."
        action._history_user = actor  # type: ignore[attr-defined]
        action.save(update_fields=["status", "outcome", "completed_by", "completed_at"])
    if actions:
        done.append(f"{len(actions)} open meeting action{'s' if len(actions) != 1 else ''} closed")
    visits = list(Visit.objects.filter(case=case, status=VisitStatus.PLANNED))
    for visit in visits:
        visit.status = VisitStatus.CANCELLED
        visit.notes = f"{visit.notes}\nCancelled: the {note}.".strip()
        visit._history_user = actor  # type: ignore[attr-defined]
        visit.save(update_fields=["status", "notes"])
    if visits:
        done.append(f"{len(visits)} planned visit{'s' if len(visits) != 1 else ''} cancelled")
    Reminder.objects.filter(case=case, status=ReminderStatus.OPEN).update(status=ReminderStatus.DONE, closed_at=now)
    return done


@transaction.atomic
def closure_decide(*, actor: User, request: CaseClosureRequest, approve: bool, comments: str) -> CaseClosureRequest:
    """Approve (the case closes, what is still open on it is wound down) or return with comments.
    The request is locked: of two supervisors deciding at once, the second is told who decided."""
    _require_supervisor(actor)
    # Locked alone: the case and the decider are read after the lock, as they are now.
    request = CaseClosureRequest.objects.select_for_update().get(pk=request.pk)
    if not cases_in_scope_of(actor).filter(pk=request.case_id).exists():
        raise PermissionDeniedError("This case is not in your team.")
    if request.status != ClosureStatus.PENDING:
        raise InvalidTransitionError(closure_decided_message(request))
    if not approve and not comments.strip():
        raise ApplicationError("Say what needs doing before the case can close.", field="comments")
    if approve:
        # Locked before the check: work recorded on the case meanwhile waits, then finds it closed.
        Case.objects.select_for_update().filter(pk=request.case_id).first()
        _require_no_blockers(request.case)
    request.status = ClosureStatus.APPROVED if approve else ClosureStatus.RETURNED
    request.decided_by, request.decided_at, request.comments = actor, timezone.now(), comments.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "comments"])
    if approve:
        case = case_change_status(
            actor=actor, case=request.case, to_status=CaseStatus.CLOSED, reason=f"Closure approved. {request.reason}"
        )
        request.case = case
        done = _wind_down(actor=actor, case=case)
        if done:
            chronology_record(
                case=case,
                kind=ChronologyKind.STATUS_CHANGED,
                actor=actor,
                summary=f"Closed with the case: {'; '.join(done)}.",
            )
    else:
        chronology_record(
            case=request.case,
            kind=ChronologyKind.STATUS_CHANGED,
            actor=actor,
            summary=f"Closure request returned: {request.comments}",
        )
    return request
