"""Planning and logging visits. Logging one sets when the next is due and closes its reminders."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cases.access.rules import can_record_visit
from cases.cadence import next_due
from cases.models import CadenceKind, Case, CaseVictim, ChronologyKind, ChronologyVisibility
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from dacrre.core.tasks import enqueue_after_commit
from reminders.models import Reminder, ReminderKind
from reminders.services import protection_gap_close, reminders_close
from reminders.tasks import send_high_risk_notifications
from victims.models import Victim

from .models import Visit, VisitOutcome, VisitStatus

MAX_OVERRIDE_DAYS = 365


def _check(actor: User, case: Case, victim: Victim | None) -> None:
    case_require_open(case)
    if not can_record_visit(actor, case):
        raise PermissionDeniedError("Only officers of the owning force record visits.")
    if victim is not None and not CaseVictim.objects.filter(case=case, victim=victim).exists():
        raise ApplicationError("Choose the perpetrator or one of this case's victims", field="subject")


def _visibility(victim: Victim | None) -> ChronologyVisibility:
    return ChronologyVisibility.VICTIM_SIDE if victim is not None else ChronologyVisibility.ALL


@transaction.atomic
def visit_plan(
    *, actor: User, case: Case, victim: Victim | None, planned_for: datetime.datetime, notes: str = ""
) -> Visit:
    _check(actor, case, victim)
    dates.VISIT_PLANNED.check(planned_for, field="planned_on")
    if planned_for < timezone.now() - datetime.timedelta(hours=1):
        raise ApplicationError("A planned visit must be in the future", field="planned_for")
    visit = Visit(case=case, victim=victim, planned_for=planned_for, notes=notes.strip(), recorded_by=actor)
    visit._history_user = actor  # type: ignore[attr-defined]
    visit.save()
    visit.officers.add(actor)
    chronology_record(
        case=case,
        kind=ChronologyKind.VISIT,
        actor=actor,
        visibility=_visibility(victim),
        summary=f"Visit to {visit.subject_label} planned for {timezone.localtime(planned_for):%d %b %Y %H:%M}.",
    )
    return visit


def visit_log_problems(
    *,
    occurred_at: datetime.datetime | None,
    outcome: VisitOutcome | str,
    safeguarding_details: str = "",
    next_due_override: datetime.date | None = None,
    override_reason: str = "",
) -> list[ApplicationError]:
    """What a logged visit must say, every rule it breaks at once, each on its field (the form shows
    them together; `visit_log` refuses the first): when it happened (not in the future, within the date
    bounds), the safeguarding concern if one was raised, and a next date set by hand only with its
    reason, within the next 12 months. `occurred_at` None: the date was not readable, so not checked."""
    problems = []
    if occurred_at is not None:
        if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
            problems.append(ApplicationError("The visit cannot be in the future", field="occurred_on"))
        elif (problem := dates.VISIT_OCCURRED.problem(occurred_at)) is not None:
            problems.append(ApplicationError(problem, field="occurred_on"))
    if outcome == VisitOutcome.SAFEGUARDING and not safeguarding_details.strip():
        problems.append(ApplicationError("Describe the safeguarding concern raised", field="safeguarding_details"))
    if (next_due_override is None) != (not override_reason.strip()):
        field = "next_due_override" if next_due_override is None else "override_reason"
        problems.append(
            ApplicationError("To change the next visit date, give both the date and the reason", field=field)
        )
    today = timezone.localdate()
    if next_due_override is not None and not today < next_due_override <= today + datetime.timedelta(
        days=MAX_OVERRIDE_DAYS
    ):
        problems.append(
            ApplicationError("The next visit date must be in the next 12 months", field="next_due_override")
        )
    return problems


def _check_logged(
    *,
    occurred_at: datetime.datetime,
    outcome: VisitOutcome | str,
    safeguarding_details: str,
    next_due_override: datetime.date | None,
    override_reason: str,
) -> None:
    problems = visit_log_problems(
        occurred_at=occurred_at,
        outcome=outcome,
        safeguarding_details=safeguarding_details,
        next_due_override=next_due_override,
        override_reason=override_reason,
    )
    if problems:
        raise problems[0]


def _next_due_record(
    *, actor: User, case: Case, victim: Victim | None, locked: Case, due: datetime.date, moves: bool
) -> datetime.date | None:
    """The visited person's next visit due date, and their visit reminders: moved to `due` and closed
    when `moves` (the visit is the latest), else left alone. Returns the due date the record held."""
    if victim is None:
        kind, subject_key = ReminderKind.PERPETRATOR_VISIT_DUE, "perpetrator"
        current_due = locked.next_perpetrator_visit_due
        if moves:
            case._history_user = actor  # type: ignore[attr-defined]
            case.next_perpetrator_visit_due = due
            case.save(update_fields=["next_perpetrator_visit_due", "updated_at"])
    else:
        kind, subject_key = ReminderKind.VICTIM_VISIT_DUE, f"victim:{victim.pk}"
        current_due = CaseVictim.objects.filter(case=case, victim=victim).values_list("next_visit_due", flat=True)[0]
        if moves:
            CaseVictim.objects.filter(case=case, victim=victim).update(next_visit_due=due)
    if moves:
        reminders_close(case=case, kinds=[kind], subject_key=subject_key, still_due_on=due)
    return current_due


@transaction.atomic
def visit_log(
    *,
    actor: User,
    case: Case,
    victim: Victim | None,
    occurred_at: datetime.datetime,
    outcome: VisitOutcome | str,
    notes: str = "",
    safeguarding_details: str = "",
    other_officers: Iterable[User] = (),
    other_people_present: str = "",
    next_due_override: datetime.date | None = None,
    override_reason: str = "",
    planned_visit: Visit | None = None,
) -> Visit:
    """Record a visit that happened (completing a planned one if given) and set the next due date:
    from the case's risk level by the cadence, unless overridden with a reason."""
    _check(actor, case, victim)
    _check_logged(
        occurred_at=occurred_at,
        outcome=outcome,
        safeguarding_details=safeguarding_details,
        next_due_override=next_due_override,
        override_reason=override_reason,
    )
    due = next_due_override or next_due(
        kind=CadenceKind.VISIT,
        risk_level=case.risk_level,
        operation=case.operation,
        after=timezone.localtime(occurred_at).date(),
    )
    # One visit logged at a time per case: which visit is the latest is read and acted on under the lock.
    locked = Case.objects.select_for_update().only("pk", "next_perpetrator_visit_due").get(pk=case.pk)
    # The latest visit decides when the next is due: a visit recorded late, behind a later one already
    # on the record (a second officer's record of the same round), keeps its own date on its record
    # but neither moves the due date earlier nor closes the reminder the later visit left open.
    later = (
        Visit.objects.filter(case=case, victim=victim, status=VisitStatus.COMPLETED, occurred_at__gt=occurred_at)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    if later is not None and next_due_override is not None:
        raise ApplicationError(
            f"A later visit (on {timezone.localtime(later):%d %b %Y}) already sets when the next visit is due."
            " Record this one without changing the next visit date.",
            field="next_due_override",
        )
    if planned_visit is not None:
        visit = Visit.objects.select_for_update().get(pk=planned_visit.pk, case=case)
        if visit.status != VisitStatus.PLANNED:
            raise InvalidTransitionError("This visit has already been logged or cancelled.")
        visit.victim = victim
    else:
        visit = Visit(case=case, victim=victim, recorded_by=actor)
    visit.status = VisitStatus.COMPLETED
    visit.occurred_at = occurred_at
    visit.outcome = outcome
    visit.notes = notes.strip()
    visit.safeguarding_details = safeguarding_details.strip() if outcome == VisitOutcome.SAFEGUARDING else ""
    visit.other_people_present = other_people_present.strip()
    visit.next_visit_due = due
    visit.next_due_override_reason = override_reason.strip()
    visit._history_user = actor  # type: ignore[attr-defined]
    visit.save()
    visit.officers.set({actor, *other_officers})

    current_due = _next_due_record(actor=actor, case=case, victim=victim, locked=locked, due=due, moves=later is None)
    protection_gap_close(
        case=case,
        kind=ReminderKind.PROTECTION_ENDS_PERPETRATOR_VISIT
        if victim is None
        else ReminderKind.PROTECTION_ENDS_VICTIM_CONTACT,
        done_on=timezone.localtime(occurred_at).date(),
    )
    if outcome == VisitOutcome.SAFEGUARDING:
        # The row is the record that supervisors must review; the task only hurries the e-mail.
        Reminder.objects.get_or_create(
            kind=ReminderKind.SAFEGUARDING_CONCERN,
            case=case,
            subject_key=f"visit:{visit.pk}",
            due_on=timezone.localdate(),
            defaults={"high_risk": True},
        )
        enqueue_after_commit(send_high_risk_notifications)
    summary = f"Visit to {visit.subject_label}: {visit.get_outcome_display()}."
    if visit.safeguarding_details:
        summary += f" Safeguarding concern: {visit.safeguarding_details}"
    if visit.notes:
        summary += f" {visit.notes}"
    if later is None:
        summary += f" Next visit due {due:%d %b %Y}" + (
            f" (set by hand: {visit.next_due_override_reason})." if visit.next_due_override_reason else "."
        )
    else:
        stays = f"{current_due:%d %b %Y}" if current_due else "not set"
        summary += (
            f" Recorded after a later visit (on {timezone.localtime(later):%d %b %Y}), which sets when the next"
            f" is due: {stays}."
        )
    chronology_record(
        case=case,
        kind=ChronologyKind.VISIT,
        actor=actor,
        summary=summary,
        occurred_at=occurred_at,
        visibility=_visibility(victim),
    )
    return visit


@transaction.atomic
def visit_cancel(*, actor: User, visit: Visit, reason: str) -> Visit:
    _check(actor, visit.case, None)
    if visit.status != VisitStatus.PLANNED:
        raise InvalidTransitionError("Only a planned visit can be cancelled.")
    if not reason.strip():
        raise ApplicationError("Enter why the visit is cancelled", field="reason")
    visit.status = VisitStatus.CANCELLED
    visit.notes = f"{visit.notes}\nCancelled: {reason.strip()}".strip()
    visit._history_user = actor  # type: ignore[attr-defined]
    visit.save(update_fields=["status", "notes"])
    chronology_record(
        case=visit.case,
        kind=ChronologyKind.VISIT,
        actor=actor,
        visibility=_visibility(visit.victim),
        summary=f"Planned visit to {visit.subject_label} cancelled: {reason.strip()}",
    )
    return visit
