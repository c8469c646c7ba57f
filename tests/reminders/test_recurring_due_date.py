"""A due date always has an open reminder until the work is done (issue 15, item 1).

A visit recorded late by a second officer must not move the next due date earlier than a later
visit already recorded; and a due date that does come round again (one whose reminder was closed
as done) is raised again by the sweep, seen in My tasks, the digest and the escalated list."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cases.models import CaseStatus, CaseVictim, RiskLevel
from dacrre.accounts.models import Role, Scope
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.notifications import send_digests
from reminders.sweeps import LEAD_DAYS, reminders_sweep
from tests.factories import CaseFactory, CaseVictimFactory, ReminderFactory, UserFactory
from visits.models import VisitOutcome
from visits.services import visit_log

TODAY = timezone.localdate()


def days_ago(n: int) -> datetime.datetime:
    """A moment n days ago, just after midnight local time (never in the future, even for today)."""
    day = TODAY - datetime.timedelta(days=n)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 1)))


def on(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def due_dates_without_an_open_reminder() -> list[tuple[str, int, datetime.date]]:
    """Every visit due within the sweep's horizon on an open case, with no open reminder for it."""
    horizon = on(LEAD_DAYS)
    open_keys = set(
        Reminder.objects.filter(status=ReminderStatus.OPEN).values_list("kind", "case_id", "subject_key", "due_on")
    )
    missing = []
    for case_id, due in (
        CaseFactory._meta.model.objects.exclude(status=CaseStatus.CLOSED)
        .filter(next_perpetrator_visit_due__lte=horizon)
        .values_list("pk", "next_perpetrator_visit_due")
    ):
        if (ReminderKind.PERPETRATOR_VISIT_DUE, case_id, "perpetrator", due) not in open_keys:
            missing.append(("perpetrator", case_id, due))
    for case_id, victim_id, due in (
        CaseVictim.objects.exclude(case__status=CaseStatus.CLOSED)
        .filter(next_visit_due__lte=horizon)
        .values_list("case_id", "victim_id", "next_visit_due")
    ):
        if (ReminderKind.VICTIM_VISIT_DUE, case_id, f"victim:{victim_id}", due) not in open_keys:
            missing.append(("victim", case_id, due))
    return missing


@pytest.fixture
def medium_case(db):
    officer = UserFactory(email="officer@example.org")
    second_officer = UserFactory(area=officer.area, email="second@example.org")
    sergeant = UserFactory(area=officer.area, role=Role.SUPERVISOR, scope=Scope.AREA, email="sergeant@example.org")
    case = CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.MEDIUM)
    return case, officer, second_officer, sergeant


def test_the_issue_scenario_a_late_record_of_an_older_visit_leaves_the_due_date_alone(medium_case) -> None:
    case, officer, second_officer, _sergeant = medium_case
    visit_log(actor=officer, case=case, victim=None, occurred_at=days_ago(26), outcome=VisitOutcome.SEEN)
    case.refresh_from_db()
    assert case.next_perpetrator_visit_due == on(2)
    reminders_sweep()
    first = Reminder.objects.get(kind=ReminderKind.PERPETRATOR_VISIT_DUE)
    assert (first.status, first.due_on, first.assignee) == (ReminderStatus.OPEN, on(2), officer)

    visit_log(actor=officer, case=case, victim=None, occurred_at=days_ago(0), outcome=VisitOutcome.SEEN)
    case.refresh_from_db()
    assert case.next_perpetrator_visit_due == on(28)
    first.refresh_from_db()
    assert first.status == ReminderStatus.DONE

    # The second officer records the visit of 26 days ago late: the visit of today still decides.
    late = visit_log(actor=second_officer, case=case, victim=None, occurred_at=days_ago(26), outcome=VisitOutcome.SEEN)
    case.refresh_from_db()
    assert case.next_perpetrator_visit_due == on(28)
    assert late.next_visit_due == on(2)  # what that visit alone would have set, kept on its record
    assert "later visit" in case.chronology.filter(kind="visit").order_by("-recorded_at").first().summary
    reminders_sweep()
    assert due_dates_without_an_open_reminder() == []
    assert not Reminder.objects.filter(status=ReminderStatus.OPEN).exists()  # nothing is due


def test_a_late_record_does_not_close_the_reminder_a_later_visit_raised(medium_case) -> None:
    case, officer, second_officer, _sergeant = medium_case
    victim = CaseVictimFactory(case=case).victim
    visit_log(actor=officer, case=case, victim=victim, occurred_at=days_ago(27), outcome=VisitOutcome.SEEN)
    reminders_sweep()
    reminder = Reminder.objects.get(kind=ReminderKind.VICTIM_VISIT_DUE)
    assert reminder.due_on == on(1)
    # A visit before that one, recorded now: the visit 27 days ago is still the latest and still due.
    visit_log(actor=second_officer, case=case, victim=victim, occurred_at=days_ago(40), outcome=VisitOutcome.SEEN)
    assert CaseVictim.objects.get(case=case).next_visit_due == on(1)
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.OPEN
    assert due_dates_without_an_open_reminder() == []


def test_a_due_date_that_comes_round_again_is_raised_again_and_seen_everywhere(medium_case, login) -> None:
    case, officer, second_officer, sergeant = medium_case
    # 40 days ago, medium risk (28 days): due 12 days ago, raised and escalated.
    visit_log(actor=officer, case=case, victim=None, occurred_at=days_ago(40), outcome=VisitOutcome.NO_REPLY)
    reminders_sweep()
    first = Reminder.objects.get(status=ReminderStatus.OPEN)
    assert first.due_on == on(-12)
    # A visit 30 days ago: due 2 days ago; the first reminder is done.
    visit_log(actor=officer, case=case, victim=None, occurred_at=days_ago(30), outcome=VisitOutcome.NO_REPLY)
    first.refresh_from_db()
    assert first.status == ReminderStatus.DONE
    # The case is now high risk (14 days); a visit 26 days ago, recorded late, is the latest visit:
    # the next visit was due 12 days ago, the date whose reminder was closed.
    case.risk_level = RiskLevel.HIGH
    case.save(update_fields=["risk_level"])
    visit_log(actor=second_officer, case=case, victim=None, occurred_at=days_ago(26), outcome=VisitOutcome.NO_REPLY)
    case.refresh_from_db()
    assert case.next_perpetrator_visit_due == on(-12)

    reminders_sweep()
    assert due_dates_without_an_open_reminder() == []
    again = Reminder.objects.get(status=ReminderStatus.OPEN)
    assert (again.kind, again.due_on, again.assignee, again.high_risk) == (
        ReminderKind.PERPETRATOR_VISIT_DUE,
        on(-12),
        officer,
        True,
    )
    assert again.pk != first.pk
    assert sum(reminders_sweep().values()) == 0  # and only once

    # My tasks, the navigation count, the supervisor's escalated list and the digest all show it.
    mine = login(officer).get("/tasks/").content.decode()
    assert case.reference in mine and "My tasks (1)" in mine
    escalated = login(sergeant).get("/tasks/?view=escalated").content.decode()
    assert case.reference in escalated
    mail.outbox.clear()
    send_digests()
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert case.reference in by_person["officer@example.org"]
    assert case.reference in by_person["sergeant@example.org"].split("Overdue by more than 3 days")[1]


@pytest.mark.django_db
def test_done_does_not_block_the_same_due_date_but_a_dismissal_does() -> None:
    officer = UserFactory()
    back = CaseFactory(area=officer.area, spoc=officer, next_perpetrator_visit_due=on(-5))
    dismissed = CaseFactory(area=officer.area, spoc=officer, next_perpetrator_visit_due=on(-5))
    ReminderFactory(case=back, due_on=on(-5), status=ReminderStatus.DONE, closed_at=timezone.now())
    ReminderFactory(
        case=dismissed,
        due_on=on(-5),
        status=ReminderStatus.DISMISSED,
        closed_at=timezone.now(),
        dismissed_reason="Perpetrator in custody until next month (Sgt Smith)",
    )
    assert reminders_sweep()[ReminderKind.PERPETRATOR_VISIT_DUE] == 1
    assert Reminder.objects.get(case=back, status=ReminderStatus.OPEN).due_on == on(-5)
    assert not Reminder.objects.filter(case=dismissed, status=ReminderStatus.OPEN).exists()
    assert reminders_sweep()[ReminderKind.PERPETRATOR_VISIT_DUE] == 0


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_reminder_for_one_due_date() -> None:
    from django.db import IntegrityError, transaction

    open_one = ReminderFactory(due_on=on(1))
    ReminderFactory(case=open_one.case, due_on=on(1), status=ReminderStatus.DONE)  # closed ones may repeat
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderFactory(case=open_one.case, due_on=on(1))
