import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import CadenceKind, CadenceRule, ChronologyVisibility, RiskLevel
from dacrre.accounts.models import Role
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.factories import AreaFactory, CaseFactory, CaseVictimFactory, ProbationAgencyFactory, UserFactory
from visits.models import Visit, VisitOutcome, VisitStatus
from visits.services import visit_cancel, visit_log, visit_plan


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.HIGH)
    link = CaseVictimFactory(case=case)
    return officer, case, link.victim


def _now():
    return timezone.now() - datetime.timedelta(hours=1)


@pytest.mark.django_db
@pytest.mark.parametrize(("level", "days"), [(RiskLevel.HIGH, 14), (RiskLevel.MEDIUM, 28), (RiskLevel.STANDARD, 56)])
def test_next_perpetrator_visit_follows_the_cadence_of_the_risk_level(officer_case, level, days) -> None:
    officer, case, _ = officer_case
    case.risk_level = level
    case.save()
    occurred = _now()
    visit_log(actor=officer, case=case, victim=None, occurred_at=occurred, outcome=VisitOutcome.SEEN)
    case.refresh_from_db()
    assert case.next_perpetrator_visit_due == timezone.localtime(occurred).date() + datetime.timedelta(days=days)


@pytest.mark.django_db
def test_operation_cadence_and_victim_visit_and_reminders_closed(officer_case) -> None:
    officer, case, victim = officer_case
    CadenceRule.objects.create(operation=case.operation, kind=CadenceKind.VISIT, risk_level=RiskLevel.HIGH, days=7)
    reminder = Reminder.objects.create(
        kind=ReminderKind.VICTIM_VISIT_DUE,
        case=case,
        subject_key=f"victim:{victim.pk}",
        due_on=timezone.localdate(),
    )
    other = Reminder.objects.create(
        kind=ReminderKind.PERPETRATOR_VISIT_DUE, case=case, subject_key="perpetrator", due_on=timezone.localdate()
    )
    occurred = _now()
    visit_log(actor=officer, case=case, victim=victim, occurred_at=occurred, outcome=VisitOutcome.NO_REPLY)
    link = case.case_victims.get()
    assert link.next_visit_due == timezone.localtime(occurred).date() + datetime.timedelta(days=7)
    reminder.refresh_from_db()
    other.refresh_from_db()
    assert reminder.status == ReminderStatus.DONE
    assert other.status == ReminderStatus.OPEN
    entry = case.chronology.get(kind="visit")
    assert entry.visibility == ChronologyVisibility.VICTIM_SIDE


@pytest.mark.django_db
def test_visit_rules(officer_case) -> None:
    officer, case, _ = officer_case
    with pytest.raises(ApplicationError, match="cannot be in the future"):
        visit_log(
            actor=officer,
            case=case,
            victim=None,
            occurred_at=timezone.now() + datetime.timedelta(hours=2),
            outcome=VisitOutcome.SEEN,
        )
    with pytest.raises(ApplicationError, match="safeguarding concern"):
        visit_log(actor=officer, case=case, victim=None, occurred_at=_now(), outcome=VisitOutcome.SAFEGUARDING)
    with pytest.raises(ApplicationError, match="both the date and the reason"):
        visit_log(
            actor=officer,
            case=case,
            victim=None,
            occurred_at=_now(),
            outcome=VisitOutcome.SEEN,
            next_due_override=timezone.localdate() + datetime.timedelta(days=3),
        )
    visit = visit_log(
        actor=officer,
        case=case,
        victim=None,
        occurred_at=_now(),
        outcome=VisitOutcome.SEEN,
        next_due_override=timezone.localdate() + datetime.timedelta(days=3),
        override_reason="Court date on Friday",
    )
    case.refresh_from_db()
    assert case.next_perpetrator_visit_due == timezone.localdate() + datetime.timedelta(days=3)
    assert visit.next_due_override_reason == "Court date on Friday"
    with pytest.raises(ApplicationError, match="one of this case's victims"):
        visit_log(
            actor=officer, case=case, victim=CaseVictimFactory().victim, occurred_at=_now(), outcome=VisitOutcome.SEEN
        )
    probation = UserFactory(area=AreaFactory(agency=ProbationAgencyFactory()), role=Role.PARTNER_CASEWORKER)
    with pytest.raises(PermissionDeniedError):
        visit_log(actor=probation, case=case, victim=None, occurred_at=_now(), outcome=VisitOutcome.SEEN)


@pytest.mark.django_db
def test_plan_then_log_or_cancel(officer_case) -> None:
    officer, case, _ = officer_case
    planned = visit_plan(actor=officer, case=case, victim=None, planned_for=timezone.now() + datetime.timedelta(days=1))
    done = visit_log(
        actor=officer, case=case, victim=None, occurred_at=_now(), outcome=VisitOutcome.ARRESTED, planned_visit=planned
    )
    assert done.pk == planned.pk and done.status == VisitStatus.COMPLETED
    with pytest.raises(InvalidTransitionError):
        visit_cancel(actor=officer, visit=done, reason="x")
    second = visit_plan(actor=officer, case=case, victim=None, planned_for=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(ApplicationError, match="why the visit is cancelled"):
        visit_cancel(actor=officer, visit=second, reason="")
    assert visit_cancel(actor=officer, visit=second, reason="Perpetrator in custody").status == VisitStatus.CANCELLED


@pytest.mark.django_db
def test_logging_a_visit_in_the_browser_keeps_the_text_on_error(officer_case, login) -> None:
    officer, case, victim = officer_case
    colleague = UserFactory(area=officer.area)
    client = login(officer)
    form = client.get(f"/cases/{case.public_id}/visits/new/").content.decode()
    assert timezone.localdate().strftime("%d/%m/%Y") in form  # today by default
    bad = client.post(
        f"/cases/{case.public_id}/visits/new/",
        {
            "subject": "perpetrator",
            "occurred_on": timezone.localdate().strftime("%d/%m/%Y"),
            "outcome": VisitOutcome.SAFEGUARDING,
            "notes": "Long notes typed on a phone",
        },
    )
    html = bad.content.decode()
    assert "Describe the safeguarding concern raised" in html
    assert "Long notes typed on a phone" in html
    ok = client.post(
        f"/cases/{case.public_id}/visits/new/",
        {
            "subject": str(victim.public_id),
            "occurred_on": timezone.localdate().strftime("%d/%m/%Y"),
            "occurred_time": "00:05",
            "outcome": VisitOutcome.SEEN,
            "notes": "Well",
            "other_officers": [colleague.pk],
        },
    )
    assert ok.status_code == 302
    visit = Visit.objects.get()
    assert set(visit.officers.all()) == {officer, colleague}


@pytest.mark.django_db
def test_victim_visits_are_hidden_from_perpetrator_side_agencies(officer_case, login) -> None:
    officer, case, victim = officer_case
    visit_log(
        actor=officer,
        case=case,
        victim=victim,
        occurred_at=_now(),
        outcome=VisitOutcome.SEEN,
        notes="Victim now staying with her sister",
    )
    visit_log(actor=officer, case=case, victim=None, occurred_at=_now(), outcome=VisitOutcome.REFUSED)
    offender_manager = UserFactory(area=AreaFactory(agency=ProbationAgencyFactory()), role=Role.PARTNER_CASEWORKER)
    case.offender_manager = offender_manager
    case.save()
    html = login(offender_manager).get(f"/cases/{case.public_id}/").content.decode()
    assert "refused to engage" in html
    assert "staying with her sister" not in html and victim.person.full_name + ", seen" not in html
    victim_visit = Visit.objects.get(victim=victim)
    assert login(offender_manager).get(f"/cases/{case.public_id}/visits/{victim_visit.public_id}/").status_code == 404


@pytest.mark.django_db
def test_case_page_queries_constant_as_visits_grow(officer_case, login) -> None:
    officer, case, victim = officer_case
    client = login(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.public_id}/")
    for _ in range(8):
        visit_log(actor=officer, case=case, victim=victim, occurred_at=_now(), outcome=VisitOutcome.SEEN)
        visit_plan(actor=officer, case=case, victim=None, planned_for=timezone.now() + datetime.timedelta(days=1))
    with CaptureQueriesContext(connection) as many:
        client.get(f"/cases/{case.public_id}/")
    assert len(many) == len(few)
