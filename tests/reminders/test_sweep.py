import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from cases.models import CaseStatus
from reminders.models import Reminder, ReminderKind
from reminders.sweeps import KINDS, RAISED_OWNERS, register_owner, register_sweep, reminders_sweep
from tests.factories import CaseFactory, CaseVictimFactory, UserFactory

# Raised by the work itself (a visit that found a safeguarding concern), never by a sweep.
NOT_SWEPT = {
    ReminderKind.SAFEGUARDING_CONCERN,
    ReminderKind.CASE_ALLOCATED,
    # Raised by the decision or change they follow (an NFA decision, a change in the investigation);
    # an app that also sweeps one of them takes it off this list (the satisfaction survey is swept:
    # experience/sweeps.py).
    ReminderKind.NFA_REVIEW_DUE,
    ReminderKind.VICTIM_CODE_UPDATE_DUE,
}


def test_every_kind_of_reminder_is_swept_by_the_app_that_owns_it() -> None:
    """Each app registers its kinds in its sweeps.py; the engine (reminders) imports none of them."""
    assert [sweep.kind for sweep in KINDS] == [kind for kind in ReminderKind if kind not in NOT_SWEPT]
    owners = {sweep.kind: sweep.due.__module__ for sweep in KINDS}
    assert owners[ReminderKind.PERPETRATOR_VISIT_DUE] == "visits.sweeps"
    assert owners[ReminderKind.MEETING_ACTION_DUE] == "meetings.sweeps"
    assert not any(module.startswith("reminders.") for module in owners.values())
    # A person-held kind raised by an event has its owner registered too, so reallocations move it.
    assert {kind: owner.__module__ for kind, owner in RAISED_OWNERS.items()} == {
        ReminderKind.VICTIM_CODE_UPDATE_DUE: "justice.sweeps"
    }


def test_a_kind_cannot_be_registered_twice() -> None:
    with pytest.raises(ImproperlyConfigured, match="risk_review_due"):
        register_sweep(ReminderKind.RISK_REVIEW_DUE)(lambda today: None)  # type: ignore[arg-type,return-value]
    assert len(KINDS) == len(ReminderKind) - len(NOT_SWEPT)
    with pytest.raises(ImproperlyConfigured, match="victim_code_update_due"):
        register_owner(ReminderKind.VICTIM_CODE_UPDATE_DUE, lambda case: None)  # type: ignore[arg-type,return-value]


@pytest.mark.django_db
def test_sweep_raises_due_visits_once_however_often_it_runs() -> None:
    today = timezone.localdate()
    officer = UserFactory()
    due = CaseFactory(area=officer.area, spoc=officer, next_perpetrator_visit_due=today)
    victim_link = CaseVictimFactory(case=due, next_visit_due=today - datetime.timedelta(days=4))
    CaseFactory(next_perpetrator_visit_due=today + datetime.timedelta(days=30))  # not due yet
    CaseFactory(next_perpetrator_visit_due=today, status=CaseStatus.CLOSED, closed_at=timezone.now())

    assert sum(reminders_sweep(today=today).values()) == 2
    assert sum(reminders_sweep(today=today).values()) == 0

    perpetrator_reminder = Reminder.objects.get(kind=ReminderKind.PERPETRATOR_VISIT_DUE)
    assert (perpetrator_reminder.case, perpetrator_reminder.assignee, perpetrator_reminder.due_on) == (
        due,
        officer,
        today,
    )
    victim_reminder = Reminder.objects.get(kind=ReminderKind.VICTIM_VISIT_DUE)
    assert victim_reminder.subject_key == f"victim:{victim_link.victim.pk}"
    assert victim_reminder.assignee == officer


@pytest.mark.django_db
def test_sweep_after_an_outage_catches_up_on_everything_missed() -> None:
    today = timezone.localdate()
    CaseFactory(next_perpetrator_visit_due=today - datetime.timedelta(days=20))
    CaseFactory(next_perpetrator_visit_due=today - datetime.timedelta(days=2))
    assert sum(reminders_sweep(today=today).values()) == 2


@pytest.mark.django_db
def test_a_visit_reminder_prefers_an_offender_manager_of_the_owning_force() -> None:
    spoc = UserFactory()
    offender_manager = UserFactory(area=spoc.area)  # an integrated offender management officer
    CaseFactory(
        area=spoc.area, spoc=spoc, offender_manager=offender_manager, next_perpetrator_visit_due=timezone.localdate()
    )
    reminders_sweep()
    assert Reminder.objects.get().assignee == offender_manager
