"""Saving a safety plan: optimistic locking so that two people editing at once never silently
overwrite each other; every save kept as a version."""

import datetime
from typing import TypedDict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cases.access.rules import can_edit_safety_plan, can_view_safe_contact
from cases.cadence import next_due
from cases.models import CadenceKind, Case, CaseChild, CaseStatus, ChronologyKind, ChronologyVisibility
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from incidents.models import Incident
from reminders.models import ReminderKind
from reminders.services import reminders_close
from victims.models import Victim, VictimConfidential

from .measures import MEASURE_KEYS
from .models import MeasureStatus, SafetyMeasure, SafetyPlan, SafetyPlanVersion, SchoolNotification


class MeasureInput(TypedDict):
    status: str
    owner: str
    due_on: datetime.date | None
    notes: str


def safety_plan_for(*, case: Case, victim: Victim) -> SafetyPlan:
    if not case.case_victims.filter(victim=victim).exists():
        raise ApplicationError("Choose one of this case's victims")
    plan, _ = SafetyPlan.objects.get_or_create(case=case, victim=victim)
    return plan


def _snapshot(plan: SafetyPlan) -> dict[str, dict[str, str]]:
    return {
        m.key: {
            "status": m.status,
            "owner": m.owner,
            "due_on": m.due_on.isoformat() if m.due_on else "",
            "notes": m.notes,
        }
        for m in plan.measures.all()
    }


@transaction.atomic
def safety_plan_save(  # noqa: C901
    *,
    actor: User,
    plan: SafetyPlan,
    expected_version: int,
    measures: dict[str, MeasureInput],
    safe_contact: str | None = None,
    saved_over: int | None = None,
) -> SafetyPlan:
    """Save the plan as a new version. `expected_version` is the version the user started from;
    `saved_over` says that they saw that version on the conflict page and chose to save their text over
    it (the chronology records whose version they replaced)."""
    case_require_open(plan.case)
    if not can_edit_safety_plan(actor, plan.case):
        raise PermissionDeniedError("You cannot change this safety plan.")
    unknown = set(measures) - set(MEASURE_KEYS)
    if unknown:
        raise ApplicationError(f"Unknown measures: {', '.join(sorted(unknown))}")
    if safe_contact is not None and not can_view_safe_contact(actor, plan.case):
        raise PermissionDeniedError("You cannot change the safe-contact arrangements.")
    for key, values in measures.items():
        dates.SAFETY_MEASURE_DUE.check(values["due_on"], field=f"{key}-due_on")
    now = timezone.now()
    # The conditional update is the lock: only a save that started from the current version wins.
    won = SafetyPlan.objects.filter(pk=plan.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=now, updated_by=actor
    )
    if not won:
        current = SafetyPlan.objects.select_related("updated_by").get(pk=plan.pk)
        who = current.updated_by or "Someone"
        when = timezone.localtime(current.updated_at).strftime("%H:%M on %d %b %Y") if current.updated_at else ""
        raise ConflictError(
            f"{who} saved this plan at {when} while you were editing. Your changes have not been saved; they are "
            "shown below with what is saved now. Check the current plan and save again."
        )
    plan.refresh_from_db()
    for key, values in measures.items():
        if not values["status"]:
            SafetyMeasure.objects.filter(plan=plan, key=key).delete()
            continue
        if values["status"] not in MeasureStatus.values:
            raise ApplicationError(f"Choose a status for {key}")
        SafetyMeasure.objects.update_or_create(
            plan=plan,
            key=key,
            defaults={
                "status": values["status"],
                "owner": values["owner"].strip(),
                "due_on": values["due_on"],
                "notes": values["notes"].strip(),
            },
        )
    safe_contact_changed = False
    if safe_contact is not None:
        details, _ = VictimConfidential.objects.get_or_create(victim=plan.victim)
        if details.safe_contact_arrangements != safe_contact.strip():
            details.safe_contact_arrangements = safe_contact.strip()
            details._history_user = actor  # type: ignore[attr-defined]
            details.save(update_fields=["safe_contact_arrangements", "updated_at"])
            safe_contact_changed = True
    plan.review_due = next_due(
        kind=CadenceKind.SAFETY_PLAN_REVIEW,
        risk_level=plan.case.risk_level,
        operation=plan.case.operation,
        after=timezone.localdate(),
    )
    plan.save(update_fields=["review_due"])
    reminders_close(case=plan.case, kinds=[ReminderKind.SAFETY_PLAN_REVIEW_DUE], subject_key=f"plan:{plan.pk}")
    SafetyPlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        saved_by=actor,
        saved_at=now,
        measures=_snapshot(plan),
        safe_contact_changed=safe_contact_changed,
    )
    in_place = plan.measures.filter(status=MeasureStatus.IN_PLACE).count()
    over = ""
    if saved_over is not None and saved_over == expected_version:
        replaced = plan.versions.select_related("saved_by").filter(number=saved_over).first()
        if replaced is not None:
            over = (
                f" It replaced version {replaced.number}, saved by {replaced.saved_by} at "
                f"{timezone.localtime(replaced.saved_at):%H:%M on %d %b %Y} while {actor} was editing: "
                f"{actor} saw that version and kept their own changes."
            )
    chronology_record(
        case=plan.case,
        kind=ChronologyKind.SAFETY_PLAN,
        actor=actor,
        visibility=ChronologyVisibility.VICTIM_SIDE,
        summary=f"Safety plan for {plan.victim} saved (version {plan.version}, {in_place} measures in "
        f"place). Review due {plan.review_due:%d %b %Y}.{over}",
    )
    return plan


def versions_compare(newer: SafetyPlanVersion, older: SafetyPlanVersion | None) -> list[str]:
    """Keys of the measures that differ between two versions."""
    before = older.measures if older else {}
    return [key for key in MEASURE_KEYS if before.get(key) != newer.measures.get(key)]


def school_notifications_raise(*, incident: Incident) -> int:
    """For every open case of the incident's perpetrator with a child who was present: one notification
    per child and incident (idempotent, set-based)."""
    links = (
        CaseChild.objects.filter(
            child__in=incident.children_present.all(), case__perpetrator_id=incident.perpetrator_id
        )
        .exclude(case__status=CaseStatus.CLOSED)
        .values_list("case_id", "child_id")
    )
    created = SchoolNotification.objects.bulk_create(
        [SchoolNotification(case_id=case_id, child_id=child_id, incident=incident) for case_id, child_id in links],
        ignore_conflicts=True,
    )
    return len(created)


@transaction.atomic
def school_notification_record(
    *, actor: User, notification: SchoolNotification, notified_on: datetime.date, notes: str = ""
) -> SchoolNotification:
    case_require_open(notification.case)
    if not can_view_safe_contact(actor, notification.case):
        raise PermissionDeniedError("You cannot record school notifications on this case.")
    if notification.notified_on is not None:
        raise ApplicationError("This notification has already been recorded.")
    if notified_on > timezone.localdate():
        raise ApplicationError("The date cannot be in the future", field="notified_on")
    dates.SCHOOL_NOTIFIED.check(notified_on, field="notified_on")
    notification.notified_on, notification.notified_by, notification.notes = notified_on, actor, notes.strip()
    notification.save(update_fields=["notified_on", "notified_by", "notes"])
    chronology_record(
        case=notification.case,
        kind=ChronologyKind.NOTE,
        actor=actor,
        visibility=ChronologyVisibility.VICTIM_SIDE,
        summary=f"School safeguarding lead told about {notification.child} after incident "
        f"{notification.incident.source_reference}.",
    )
    return notification
