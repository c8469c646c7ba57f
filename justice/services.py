"""Writes of justice outcomes, NFA reviews and Victims' Code updates. Each checks its rule again
(rules.py): a crafted POST or a script gets the same answer as the page.

Transitions are explicit (`_STEP_RULES`): a crime is under investigation until it is charged, given an
out-of-court disposal, or closed with no further action; those three exclude each other; a court
outcome needs a charge; a CPS decision needs a referral; a crime closed by NFA or a disposal takes no
further step until a sergeant's review overturns the NFA. Every step locks the crime's row, so two
people recording at once are taken one after the other and the second is checked against the first.
"""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, CaseVictim, ChronologyKind, ChronologyVisibility
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import User
from dacrre.core import dates
from dacrre.core.dates import add_working_days
from dacrre.core.exceptions import ApplicationError, ConflictError, InvalidTransitionError, PermissionDeniedError
from incidents.models import Incident
from orders.models import OrderKind
from orders.services import order_record
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.services import reminders_close
from reminders.sweeps import case_owner_id
from victims.models import Victim

from .models import (
    NFA_OUTCOMES,
    OUT_OF_COURT_OUTCOMES,
    EventKind,
    EventSource,
    Investigation,
    InvestigationStatus,
    JusticeEvent,
    NfaReview,
    ReviewDecision,
    ReviewStatus,
    UpdateMethod,
    VictimUpdate,
)
from .rules import can_record_outcome, can_review_nfa, can_update_victim

# A sergeant reviews each domestic-abuse NFA decision within this many working days: soon enough
# to reopen the investigation while the evidence and the victim's engagement are still there.
NFA_REVIEW_WORKING_DAYS = 3
# The Victims' Code (2020), Right 6: victims entitled to the enhanced service (victims of domestic
# abuse are: victims of the most serious crime, often vulnerable or intimidated) are told of each
# key decision in the investigation (arrest, interview, charge, bail and its conditions, release,
# no further action, the outcome at court) within 1 working day, as they are told of the first
# contact with the police. The police owe it: the SPOC, else an IDVA of the owning force.
VICTIM_CODE_WORKING_DAYS = 1
# Imported steps older than this raise no update reminder: a history loaded today is not owed now.
IMPORTED_UPDATE_LOOKBACK_DAYS = 14


@dataclass(frozen=True)
class Step:
    """One step to record on a crime. Only the fields of its kind are used."""

    kind: str
    occurred_at: datetime.datetime
    by_whom: str = ""
    outcome_type: str = ""
    reason: str = ""
    cps_decision: str = ""
    court_result: str = ""
    bail_conditions: str = ""
    bail_ends_on: datetime.date | None = None
    bail_ends_time: datetime.time | None = None


# Which statuses each kind of step may follow.
_OPEN: set[str] = {InvestigationStatus.ONGOING, InvestigationStatus.CHARGED}
_ONGOING: set[str] = {InvestigationStatus.ONGOING}
_STEP_RULES: dict[str, set[str]] = {
    EventKind.ARREST: _OPEN,
    EventKind.VOLUNTARY_INTERVIEW: _ONGOING,
    EventKind.BAIL: _OPEN,
    EventKind.REMAND: _OPEN,
    EventKind.CPS_REFERRAL: _ONGOING,
    EventKind.CPS_DECISION: _ONGOING,
    EventKind.CHARGE: _ONGOING,
    EventKind.COURT_OUTCOME: {InvestigationStatus.CHARGED.value},
    EventKind.OUT_OF_COURT: _ONGOING,
    EventKind.NFA: _ONGOING,
}
_REFUSED = {
    InvestigationStatus.CHARGED: "The crime has been charged",
    InvestigationStatus.OUT_OF_COURT: "The crime was closed with an out-of-court disposal",
    InvestigationStatus.NFA: "The crime was closed with no further action",
    InvestigationStatus.ONGOING: "The crime has not been charged",
}


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def investigation_locked(*, case: Case, incident: Incident) -> Investigation:
    """The crime's investigation row, created on first use and locked for the rest of the transaction."""
    if incident.perpetrator_id != case.perpetrator_id:
        raise ApplicationError("Choose one of this perpetrator's crimes", field="incident")
    if not incident.is_crime:
        raise ApplicationError("A non-crime incident has no justice outcome", field="incident")
    try:
        with transaction.atomic():
            Investigation.objects.get_or_create(incident=incident, defaults={"case": case})
    except IntegrityError:  # created by someone else at the same moment: theirs is the row
        pass
    # Only this row: locking the case row too (FOR UPDATE) would deadlock with another writer's
    # key-share lock on it (cases.closed.case_require_open).
    return (
        Investigation.objects.select_for_update(of=("self",)).select_related("incident", "case").get(incident=incident)
    )


def _check_step(investigation: Investigation, step: Step) -> None:
    kind = step.kind
    if kind not in _STEP_RULES:
        raise ApplicationError("Choose what happened", field="kind")
    if investigation.status not in _STEP_RULES[kind]:
        label = EventKind(kind).label.lower()
        raise InvalidTransitionError(
            f"{_REFUSED[InvestigationStatus(investigation.status)]}: it cannot take {label} now."
        )
    occurred = step.occurred_at
    dates.JUSTICE_STEP.check(occurred, field="occurred_on")
    if occurred > timezone.now():
        raise ApplicationError("The time cannot be in the future", field="occurred_time")
    if occurred < investigation.incident.occurred_at:
        raise ApplicationError("The date cannot be before the crime", field="occurred_on")
    _check_details(investigation, step)


def _check_details(investigation: Investigation, step: Step) -> None:  # noqa: C901 - one rule per kind
    kind, occurred = step.kind, step.occurred_at
    if kind == EventKind.NFA:
        if step.outcome_type not in NFA_OUTCOMES:
            raise ApplicationError("Choose the Home Office outcome type of the NFA decision", field="nfa_outcome")
        if not step.reason.strip():
            raise ApplicationError("Enter the reason for no further action", field="reason")
    if kind == EventKind.OUT_OF_COURT and step.outcome_type not in OUT_OF_COURT_OUTCOMES:
        raise ApplicationError("Choose the kind of out-of-court disposal", field="disposal_outcome")
    if kind == EventKind.CPS_DECISION:
        if not step.cps_decision:
            raise ApplicationError("Choose the CPS decision", field="cps_decision")
        if not investigation.events.filter(kind=EventKind.CPS_REFERRAL).exists():
            raise InvalidTransitionError("Record the referral to the CPS before its decision.")
    if kind == EventKind.COURT_OUTCOME:
        if not step.court_result:
            raise ApplicationError("Choose the result at court", field="court_result")
        if investigation.events.filter(kind=EventKind.COURT_OUTCOME).exists():
            raise ConflictError("The court outcome of this crime is already recorded.")
    if kind == EventKind.BAIL:
        if not step.bail_conditions.strip():
            raise ApplicationError("Enter the bail conditions", field="bail_conditions")
        if step.bail_ends_on is None:
            raise ApplicationError("Enter the date the bail conditions end", field="bail_ends_on")
        dates.ORDER_ENDS.check(step.bail_ends_on, field="bail_ends_on")
        if step.bail_ends_on < _day(occurred):
            raise ApplicationError("Bail cannot end before it was given", field="bail_ends_on")


def victim_updates_raise(*, case: Case, on: datetime.date | None = None) -> int:
    """A change in the investigation: each victim on the case is owed an update within the Code's
    limit. One open reminder per victim and due date, however many changes that day."""
    due = add_working_days(on or timezone.localdate(), VICTIM_CODE_WORKING_DAYS)
    owner_id = case_owner_id(case.pk, ReminderKind.VICTIM_CODE_UPDATE_DUE)
    raised = 0
    for victim_id in case.case_victims.values_list("victim_id", flat=True):
        _, created = Reminder.objects.get_or_create(
            kind=ReminderKind.VICTIM_CODE_UPDATE_DUE,
            case=case,
            subject_key=f"victim:{victim_id}",
            due_on=due,
            status=ReminderStatus.OPEN,
            defaults={"assignee_id": owner_id, "high_risk": case.risk_level == "high"},
        )
        raised += created
    return raised


def victim_first_update(link: CaseVictim) -> None:
    """First contact: a victim added to a case is owed their first update within the Code's limit
    (registered with cases.services.VICTIM_ADDED_HOOKS; runs in the transaction that added them)."""
    case = link.case
    Reminder.objects.get_or_create(
        kind=ReminderKind.VICTIM_CODE_UPDATE_DUE,
        case=case,
        subject_key=f"victim:{link.victim_id}",
        due_on=add_working_days(timezone.localtime(link.created_at).date(), VICTIM_CODE_WORKING_DAYS),
        status=ReminderStatus.OPEN,
        defaults={
            "assignee_id": case_owner_id(case.pk, ReminderKind.VICTIM_CODE_UPDATE_DUE),
            "high_risk": case.risk_level == "high",
        },
    )


def _summary(event: JusticeEvent) -> str:
    parts = [f"{event.get_kind_display()} ({event.investigation.incident.source_reference})"]
    if event.outcome_type:
        parts.append(f"outcome {event.get_outcome_type_display()}")
    if event.cps_decision:
        parts.append(event.get_cps_decision_display())
    if event.court_result:
        parts.append(event.get_court_result_display())
    if event.by_whom:
        parts.append(f"by {event.by_whom}")
    return ", ".join(parts) + "."


def step_apply(*, actor: User, investigation: Investigation, step: Step, source: str = EventSource.APP) -> JusticeEvent:
    """Record a step on a locked investigation (the page's and the import's one way). The caller
    has checked who may do it and holds the lock."""
    _check_step(investigation, step)
    case = investigation.case
    order = None
    if step.kind == EventKind.BAIL:
        victims = list(case.victims.filter(pk__in=investigation.incident.victims.values("pk")))
        order = order_record(
            actor=actor,
            case=case,
            kind=OrderKind.BAIL,
            starts_on=_day(step.occurred_at),
            starts_time=timezone.localtime(step.occurred_at).time().replace(second=0, microsecond=0),
            ends_on=step.bail_ends_on,
            ends_time=step.bail_ends_time,
            conditions=step.bail_conditions,
            reference=investigation.incident.source_reference,
            protected_victims=victims,
        )
    event = JusticeEvent.objects.create(
        investigation=investigation,
        kind=step.kind,
        occurred_at=step.occurred_at,
        by_whom=step.by_whom.strip(),
        outcome_type=step.outcome_type
        if step.kind in (EventKind.NFA, EventKind.OUT_OF_COURT)
        else ("1" if step.kind == EventKind.CHARGE else ""),
        reason=step.reason.strip(),
        cps_decision=step.cps_decision if step.kind == EventKind.CPS_DECISION else "",
        court_result=step.court_result if step.kind == EventKind.COURT_OUTCOME else "",
        order=order,
        source=source,
        recorded_by=actor,
    )
    closing = {
        EventKind.CHARGE: InvestigationStatus.CHARGED,
        EventKind.OUT_OF_COURT: InvestigationStatus.OUT_OF_COURT,
        EventKind.NFA: InvestigationStatus.NFA,
    }.get(EventKind(step.kind))
    if closing is not None:
        investigation.status = closing
        investigation.outcome_type, investigation.outcome_on = event.outcome_type, _day(step.occurred_at)
    investigation.updated_at = timezone.now()
    investigation._history_user = actor  # type: ignore[attr-defined]
    investigation.save(update_fields=["status", "outcome_type", "outcome_on", "updated_at"])
    if step.kind == EventKind.NFA:
        review = NfaReview.objects.create(
            event=event, case=case, due_on=add_working_days(timezone.localdate(), NFA_REVIEW_WORKING_DAYS)
        )
        # Held by nobody: the case's supervisors (the owning force's sergeants) see it and do it.
        Reminder.objects.get_or_create(
            kind=ReminderKind.NFA_REVIEW_DUE,
            case=case,
            subject_key=f"nfa:{review.pk}",
            due_on=review.due_on,
            status=ReminderStatus.OPEN,
            defaults={"high_risk": case.risk_level == "high"},
        )
    recent = _day(step.occurred_at) >= timezone.localdate() - datetime.timedelta(days=IMPORTED_UPDATE_LOOKBACK_DAYS)
    if source == EventSource.APP or recent:
        victim_updates_raise(case=case)
    chronology_record(case=case, kind=ChronologyKind.INCIDENT, actor=actor, summary=_summary(event))
    return event


@transaction.atomic
def outcome_record(*, actor: User, case: Case, incident: Incident, step: Step) -> JusticeEvent:
    case_require_open(case)
    if not can_record_outcome(actor, case):
        raise PermissionDeniedError("Only officers of the owning force record justice outcomes.")
    investigation = investigation_locked(case=case, incident=incident)
    return step_apply(actor=actor, investigation=investigation, step=step)


@transaction.atomic
def nfa_review_record(
    *, actor: User, review: NfaReview, decision: str, referred_to_cps: bool, comments: str
) -> NfaReview:
    """A sergeant's review of an NFA decision. Overturned, the crime is under investigation again
    (and referred to the CPS when the review says so); either way the victim is owed an update."""
    locked = (
        NfaReview.objects.select_for_update(of=("self",))
        .select_related("case", "event__investigation")
        .get(pk=review.pk)
    )
    case = locked.case
    case_require_open(case)
    if not can_review_nfa(actor, case):
        raise PermissionDeniedError("NFA decisions are reviewed by a supervisor of the owning force.")
    if locked.status != ReviewStatus.AWAITING:
        raise ConflictError("This NFA decision has already been reviewed.")
    if locked.event.recorded_by_id == actor.pk and locked.event.source == EventSource.APP:
        raise PermissionDeniedError("Another supervisor reviews an NFA decision you recorded yourself.")
    if decision not in ReviewDecision.values:
        raise ApplicationError("Choose whether the decision is upheld or overturned", field="decision")
    if referred_to_cps and decision != ReviewDecision.OVERTURNED:
        raise ApplicationError("A decision referred to the CPS is overturned, not upheld", field="referred_to_cps")
    if not comments.strip():
        raise ApplicationError("Enter the reasons for the review's decision", field="comments")
    locked.status, locked.decision = ReviewStatus.REVIEWED, decision
    locked.referred_to_cps, locked.comments = referred_to_cps, comments.strip()
    locked.reviewer, locked.reviewed_at = actor, timezone.now()
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save()
    reminders_close(case=case, kinds=[ReminderKind.NFA_REVIEW_DUE], subject_key=f"nfa:{locked.pk}")
    summary = f"NFA decision reviewed: {locked.get_decision_display()}."
    if decision == ReviewDecision.OVERTURNED:
        investigation = (
            Investigation.objects.select_for_update(of=("self",))
            .select_related("incident")
            .get(pk=locked.event.investigation_id)
        )
        investigation.status, investigation.outcome_type, investigation.outcome_on = (
            InvestigationStatus.ONGOING,
            "",
            None,
        )
        investigation.updated_at = timezone.now()
        investigation._history_user = actor  # type: ignore[attr-defined]
        investigation.save(update_fields=["status", "outcome_type", "outcome_on", "updated_at"])
        if referred_to_cps:
            JusticeEvent.objects.create(
                investigation=investigation,
                kind=EventKind.CPS_REFERRAL,
                occurred_at=timezone.now(),
                by_whom=actor.get_full_name() or actor.username,
                reason="Referred after the sergeant's review of the NFA decision.",
                recorded_by=actor,
            )
            summary += " Referred to the CPS."
    victim_updates_raise(case=case)
    chronology_record(case=case, kind=ChronologyKind.INCIDENT, actor=actor, summary=summary)
    return locked


@transaction.atomic
def victim_update_record(
    *, actor: User, case: Case, victim: Victim, given_at: datetime.datetime, method: str, about: str
) -> VictimUpdate:
    """An update given to the victim, through their recorded safe-contact arrangements only. Closes
    every update the victim was owed up to now."""
    case_require_open(case)
    if not can_update_victim(actor, case):
        raise PermissionDeniedError("You cannot record updates to this case's victims.")
    link = CaseVictim.objects.select_for_update().filter(case=case, victim=victim).first()
    if link is None:
        raise ApplicationError("Choose a victim on this case", field="victim")
    arrangements = (
        Victim.objects.filter(pk=victim.pk).values_list("confidential__safe_contact_arrangements", flat=True).first()
    )
    if not (arrangements or "").strip():
        raise ApplicationError(
            "The victim has no safe-contact arrangements recorded: record them first (an update goes only"
            " the way they allow)",
            field="method",
        )
    if method not in UpdateMethod.values:
        raise ApplicationError("Choose how the victim was told", field="method")
    if not about.strip():
        raise ApplicationError("Enter what the victim was told", field="about")
    dates.VICTIM_UPDATE_GIVEN.check(given_at, field="given_on")
    if given_at > timezone.now():
        raise ApplicationError("The time cannot be in the future", field="given_time")
    if _day(given_at) < timezone.localtime(link.created_at).date() - datetime.timedelta(days=1):
        raise ApplicationError("The date cannot be before the victim was added to the case", field="given_on")
    update = VictimUpdate.objects.create(
        case=case, victim=victim, given_at=given_at, given_by=actor, method=method, about=about.strip()
    )
    reminders_close(case=case, kinds=[ReminderKind.VICTIM_CODE_UPDATE_DUE], subject_key=f"victim:{victim.pk}")
    chronology_record(
        case=case,
        kind=ChronologyKind.NOTE,
        actor=actor,
        summary=f"Victims' Code update given to a victim ({update.get_method_display().lower()}).",
        occurred_at=given_at,
        visibility=ChronologyVisibility.VICTIM_SIDE,
    )
    return update
