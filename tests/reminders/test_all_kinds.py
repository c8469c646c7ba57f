"""Every kind of reminder is raised once by the sweep and closed when the work is done."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from cases.models import RiskLevel
from dacrre.accounts.models import Role, Scope
from disclosures.models import DisclosureApplication, Route
from disclosures.services import application_decide
from meetings.models import MeetingKind
from meetings.services import meeting_action_assign, meeting_action_complete, meeting_add_case, meeting_schedule
from orders.models import OrderKind, ProtectiveOrder
from referrals.models import Consent, Sharing, Urgency
from referrals.services import referral_create, referral_decline, referral_send
from reminders.models import DigestSent, Reminder, ReminderKind, ReminderStatus
from reminders.notifications import notify_high_risk, send_digests
from reminders.sweeps import KINDS, reminders_sweep
from safety_plans.models import SafetyPlan
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IncidentFactory,
    UserFactory,
    VictimConfidentialFactory,
    VictimFactory,
    VictimSideAgencyFactory,
)
from visits.models import Visit, VisitOutcome, VisitStatus

TODAY = timezone.localdate()
GAP_KINDS = [
    ReminderKind.PROTECTION_ENDS_RISK_REVIEW,
    ReminderKind.PROTECTION_ENDS_VICTIM_CONTACT,
    ReminderKind.PROTECTION_ENDS_PERPETRATOR_VISIT,
]


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def busy_case(db):
    """A high-risk case with one of everything due."""
    officer = UserFactory(email="officer@example.org")
    idva = UserFactory(area=officer.area, role=Role.IDVA, email="idva@example.org")
    case = CaseFactory(
        area=officer.area,
        spoc=officer,
        idva=idva,
        risk_level=RiskLevel.HIGH,
        next_perpetrator_visit_due=days(1),
        risk_review_due=days(-5),
    )
    victim = VictimConfidentialFactory(address="99 Hidden Street").victim
    CaseVictimFactory(case=case, victim=victim, next_visit_due=days(2))
    SafetyPlan.objects.create(case=case, victim=victim, review_due=days(0))
    # She was first seen 30 days ago: her satisfaction survey fell due 2 days ago (28 days on).
    Visit.objects.create(
        case=case,
        victim=victim,
        status=VisitStatus.COMPLETED,
        occurred_at=timezone.now() - datetime.timedelta(days=30),
        outcome=VisitOutcome.SEEN,
        recorded_by=officer,
    )
    ProtectiveOrder.objects.create(
        case=case,
        kind=OrderKind.DVPO,
        starts_on=days(-20),
        ends_on=days(1),
        conditions="No contact",
        recorded_by=officer,
    )
    DisclosureApplication.objects.create(
        case=case,
        route=Route.RIGHT_TO_ASK,
        person_at_risk=victim,
        applicant_name="Applicant",
        applicant_relationship="self",
        subject_relationship="partner",
        received_on=days(-27),
        recorded_by=officer,
    )
    housing = VictimSideAgencyFactory()
    referral = referral_create(
        actor=officer,
        case=case,
        subject_person=victim.person,
        to_agency=housing,
        reason="Rehousing",
        urgency=Urgency.HIGH,
        sharing=Sharing.SUMMARY,
        consent=Consent.GIVEN,
        consent_method="verbal",
    )
    referral_send(actor=officer, referral=referral)
    type(referral).objects.filter(pk=referral.pk).update(response_due_on=days(-1))
    chair = UserFactory(area=officer.area, role=Role.SUPERVISOR, scope=Scope.AREA, email="chair@example.org")
    meeting = meeting_schedule(actor=chair, kind=MeetingKind.MARAC, held_on=days(-10), attending_agencies=[housing])
    item = meeting_add_case(actor=chair, meeting=meeting, case=case)
    action = meeting_action_assign(actor=chair, item=item, agency=housing, description="Check", due_on=days(-4))
    # An incident with someone not on the case: a new partner, for a right-to-know disclosure.
    yesterday = timezone.now() - datetime.timedelta(days=1)  # the task falls due in 6 days
    IncidentFactory(perpetrator=case.perpetrator, area=officer.area, occurred_at=yesterday).victims.add(VictimFactory())
    return case, officer, idva, housing, referral, action, chair


def test_every_kind_is_raised_once_with_its_owner(busy_case) -> None:
    case, officer, idva, housing, referral, action, _chair = busy_case
    inserted = reminders_sweep()
    assert inserted == {sweep.kind.value: 1 for sweep in KINDS}
    assert sum(reminders_sweep().values()) == 0  # idempotent
    got = {r.kind: r for r in Reminder.objects.all()}
    assert got[ReminderKind.PERPETRATOR_VISIT_DUE].assignee == officer
    assert got[ReminderKind.RISK_REVIEW_DUE].assignee == idva and got[ReminderKind.RISK_REVIEW_DUE].due_on == days(-5)
    assert got[ReminderKind.SAFETY_PLAN_REVIEW_DUE].assignee == idva
    assert got[ReminderKind.REFERRAL_RESPONSE_OVERDUE].agency == housing
    assert got[ReminderKind.MEETING_ACTION_DUE].agency == housing
    assert got[ReminderKind.ORDER_ENDS_TOMORROW].due_on == days(1)
    assert got[ReminderKind.DISCLOSURE_DECISION_DUE].due_on == days(1)  # received 27 days ago + 28
    # The DVPO ends tomorrow: the protection gap's three together, due the day it ends.
    assert got[ReminderKind.PROTECTION_ENDS_RISK_REVIEW].assignee == idva
    assert got[ReminderKind.PROTECTION_ENDS_VICTIM_CONTACT].assignee == idva
    assert got[ReminderKind.PROTECTION_ENDS_PERPETRATOR_VISIT].assignee == officer
    assert {got[kind].due_on for kind in GAP_KINDS} == {days(1)}
    assert got[ReminderKind.NEW_PARTNER_DISCLOSURE].assignee == officer
    survey = got[ReminderKind.SATISFACTION_SURVEY_DUE]
    assert survey.assignee == idva and survey.due_on == days(-2)
    # Surveys are not safety work: never an e-mail at once, whatever the risk (the digest has them).
    assert all(r.high_risk for kind, r in got.items() if kind != ReminderKind.SATISFACTION_SURVEY_DUE)
    assert not survey.high_risk


def test_reminders_close_when_the_work_is_done(busy_case) -> None:
    case, officer, _idva, housing, referral, action, _chair = busy_case
    reminders_sweep()
    worker = UserFactory(area=AreaFactory(agency=housing), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    referral_decline(actor=worker, referral=referral, reason="Not our area")
    meeting_action_complete(actor=worker, action=action, outcome="Checked")
    application = DisclosureApplication.objects.get()
    application_decide(actor=officer, application=application, decision="disclose", rationale="Risk", decided_on=TODAY)
    closed = set(Reminder.objects.filter(status=ReminderStatus.DONE).values_list("kind", flat=True))
    assert closed == {
        ReminderKind.REFERRAL_RESPONSE_OVERDUE,
        ReminderKind.MEETING_ACTION_DUE,
        ReminderKind.DISCLOSURE_DECISION_DUE,
    }
    assert sum(reminders_sweep().values()) == 0  # done work is not raised again


def test_high_risk_mail_goes_once_and_carries_no_victim_details(busy_case) -> None:
    reminders_sweep()
    sent = notify_high_risk()
    assert sent == len(mail.outbox) > 0
    assert notify_high_risk() == 0
    recipients = {address for message in mail.outbox for address in message.to}
    assert {"officer@example.org", "idva@example.org"} <= recipients
    everything = " ".join(f"{m.subject} {m.body}" for m in mail.outbox)
    assert "99 Hidden Street" not in everything and busy_case[0].reference in everything
    victim_name = busy_case[0].victims.get().person.family_name
    assert victim_name not in everything


def test_the_digest_goes_once_a_day_with_escalations_for_supervisors(busy_case) -> None:
    case, officer, *_rest, chair = busy_case
    reminders_sweep()
    mail.outbox.clear()
    assert send_digests() > 0
    by_person = {m.to[0]: str(m.body) for m in mail.outbox}
    assert case.reference in by_person["officer@example.org"]
    # The risk review is 5 days overdue: escalated to the area supervisor.
    assert "Overdue by more than 3 days in your team" in by_person["chair@example.org"]
    assert "Risk review (DASH) due: case" in by_person["chair@example.org"].split("Overdue by more")[1]
    assert "99 Hidden Street" not in " ".join(by_person.values())
    count = len(mail.outbox)
    assert send_digests() == 0 and len(mail.outbox) == count
    assert DigestSent.objects.filter(day=TODAY).count() == count


def test_my_tasks_page_team_view_and_dismissing(busy_case, login) -> None:
    case, officer, idva, housing, *_rest, chair = busy_case
    reminders_sweep()
    client = login(officer)
    page = client.get("/tasks/").content.decode()
    assert "Visit to perpetrator due" in page and case.reference in page
    assert "Risk review (DASH) due" not in page  # the IDVA's
    assert "My tasks (" not in page  # the officer's tasks are all due from tomorrow
    # The navigation counts what is due today or overdue: the IDVA's review 5 days late, plan review
    # today and the satisfaction survey 2 days late.
    assert "My tasks (3)" in login(idva).get("/tasks/").content.decode()
    client = login(officer)
    reminder = Reminder.objects.get(kind=ReminderKind.PERPETRATOR_VISIT_DUE)
    short = client.post(f"/tasks/{reminder.public_id}/dismiss/", {"reason": "no"})
    assert short.status_code == 400 and "at least 10 characters" in short.content.decode()
    assert ">no</textarea>" in short.content.decode()
    assert client.post(f"/tasks/{reminder.public_id}/dismiss/", {"reason": "Visited with the IDVA"}).status_code == 302
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DISMISSED and "Visited with the IDVA" in reminder.dismissed_reason

    team = login(chair).get("/tasks/?view=escalated").content.decode()
    assert "Risk review (DASH) due" in team and "Escalated" in team
    other = UserFactory(area=AreaFactory(), email="x@example.org")
    idva_task = Reminder.objects.get(kind=ReminderKind.RISK_REVIEW_DUE)
    assert login(other).get(f"/tasks/{idva_task.public_id}/dismiss/").status_code == 404
    assert "Risk review" not in login(other).get("/tasks/").content.decode()


def test_the_protection_gap_closes_as_each_piece_of_work_is_done(busy_case) -> None:
    from risk.models import Answer
    from risk.questions import QUESTION_KEYS
    from risk.services import risk_assessment_record
    from visits.models import VisitOutcome
    from visits.services import visit_log

    case, officer, idva, *_ = busy_case
    reminders_sweep()
    victim = case.victims.get()
    risk_assessment_record(actor=idva, case=case, victim=victim, answers=dict.fromkeys(QUESTION_KEYS, Answer.NO))
    visit_log(actor=officer, case=case, victim=None, occurred_at=timezone.now(), outcome=VisitOutcome.SEEN, notes="")
    status = dict(Reminder.objects.filter(kind__in=GAP_KINDS).values_list("kind", "status"))
    assert status == {
        ReminderKind.PROTECTION_ENDS_RISK_REVIEW: ReminderStatus.DONE,
        ReminderKind.PROTECTION_ENDS_PERPETRATOR_VISIT: ReminderStatus.DONE,
        ReminderKind.PROTECTION_ENDS_VICTIM_CONTACT: ReminderStatus.OPEN,  # nobody has seen her yet
    }
    reminders_sweep()  # the work done is not owed again; the contact still is, once
    assert Reminder.objects.filter(kind__in=GAP_KINDS, status=ReminderStatus.OPEN).count() == 1
    visit_log(actor=officer, case=case, victim=victim, occurred_at=timezone.now(), outcome=VisitOutcome.SEEN, notes="")
    assert not Reminder.objects.filter(kind__in=GAP_KINDS, status=ReminderStatus.OPEN).exists()
    assert sum(reminders_sweep().values()) == 0


def test_an_idvas_contact_with_the_victim_answers_the_protection_gap(busy_case) -> None:
    from notes.services import note_write

    case, _officer, idva, *_ = busy_case
    reminders_sweep()
    note_write(
        actor=idva,
        case=case,
        kind="contact",
        side="victim",
        text="Spoke to her on the safe number about the order ending.",
        occurred_on=TODAY,
        method="phone",
        with_whom="The victim",
    )
    contact = Reminder.objects.get(kind=ReminderKind.PROTECTION_ENDS_VICTIM_CONTACT)
    assert contact.status == ReminderStatus.DONE
    assert reminders_sweep()[ReminderKind.PROTECTION_ENDS_VICTIM_CONTACT] == 0
