"""Every task goes to someone whose role can complete it (issue 15, item 2).

Each reminder's holder is checked against the permission predicate of the work itself
(cases/access/rules.py), for every kind and for cases held by every mix of people; work nobody
on the case can do falls to the case's supervisors instead of vanishing; reminders already held by
someone who cannot act are moved by the next sweep."""

import datetime
from collections.abc import Callable

import pytest
from django.core import mail
from django.utils import timezone

from cases.access.rules import (
    can_assess_risk,
    can_edit_safety_plan,
    can_record_disclosure,
    can_record_order,
    can_record_visit,
)
from cases.models import Case, RiskLevel
from dacrre.accounts.models import Role, Scope, User
from disclosures.models import DisclosureApplication, Route
from experience.rules import can_record_survey
from justice.rules import can_update_victim
from justice.services import victim_updates_raise
from meetings.models import MeetingAction, MeetingKind
from meetings.rules import can_complete_meeting_action
from meetings.services import meeting_action_assign, meeting_add_case, meeting_schedule
from orders.models import OrderKind, ProtectiveOrder
from oversight.services import cases_reallocate
from referrals.models import Consent, Referral, Sharing, Urgency
from referrals.rules import can_respond_to_referral
from referrals.services import referral_create, referral_send
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.notifications import notify_high_risk, send_digests
from reminders.selectors import tasks_for, team_tasks_for
from reminders.sweeps import KINDS, reminders_sweep
from safety_plans.models import SafetyPlan
from tests.factories import (
    AgencyFactory,
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    ReminderFactory,
    UserFactory,
    VictimSideAgencyFactory,
)
from visits.models import Visit, VisitOutcome, VisitStatus

TODAY = timezone.localdate()

# The predicate that guards the work each person-held kind of reminder asks for.
WHO_CAN: dict[str, Callable[[User, Case], bool]] = {
    ReminderKind.PERPETRATOR_VISIT_DUE: can_record_visit,
    ReminderKind.VICTIM_VISIT_DUE: can_record_visit,
    ReminderKind.RISK_REVIEW_DUE: can_assess_risk,
    ReminderKind.SAFETY_PLAN_REVIEW_DUE: can_edit_safety_plan,
    ReminderKind.ORDER_ENDS_IN_7_DAYS: can_record_order,
    ReminderKind.ORDER_ENDS_TOMORROW: can_record_order,
    ReminderKind.DISCLOSURE_DECISION_DUE: can_record_disclosure,
    ReminderKind.PROTECTION_ENDS_RISK_REVIEW: can_assess_risk,
    ReminderKind.PROTECTION_ENDS_VICTIM_CONTACT: can_assess_risk,
    ReminderKind.PROTECTION_ENDS_PERPETRATOR_VISIT: can_record_order,
    ReminderKind.SATISFACTION_SURVEY_DUE: can_record_survey,
    ReminderKind.VICTIM_CODE_UPDATE_DUE: can_update_victim,  # raised by an event, not swept
}


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def people(db):
    north = AreaFactory(name="North")
    force = north.agency
    probation = AreaFactory(agency=ProbationAgencyFactory())
    idva_service = AreaFactory(agency=IdvaAgencyFactory())
    return {
        "north": north,
        "officer": UserFactory(area=north, email="officer@example.org"),
        "iom officer": UserFactory(area=north),
        "sergeant": UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA, email="sergeant@example.org"),
        "inactive officer": UserFactory(area=north, is_active=False),
        "other force officer": UserFactory(area=AreaFactory(agency=AgencyFactory())),
        "probation": UserFactory(area=probation, role=Role.PARTNER_CASEWORKER, email="probation@example.org"),
        "probation idva": UserFactory(area=probation, role=Role.IDVA),
        "idva": UserFactory(area=idva_service, role=Role.IDVA),
        "police idva": UserFactory(area=AreaFactory(agency=force), role=Role.IDVA),
        "inactive idva": UserFactory(area=idva_service, role=Role.IDVA, is_active=False),
    }


def case_with_everything_due(area, *, spoc=None, offender_manager=None, idva=None, risk=RiskLevel.MEDIUM) -> Case:
    case = CaseFactory(
        area=area,
        spoc=spoc,
        offender_manager=offender_manager,
        idva=idva,
        risk_level=risk,
        next_perpetrator_visit_due=days(-5),
        risk_review_due=days(1),
    )
    victim = CaseVictimFactory(case=case, next_visit_due=days(-1)).victim
    SafetyPlan.objects.create(case=case, victim=victim, review_due=days(0))
    recorder = UserFactory(area=area)
    for ends in (days(1), days(6)):
        ProtectiveOrder.objects.create(
            case=case,
            kind=OrderKind.DVPO,
            starts_on=days(-20),
            ends_on=ends,
            conditions="No contact",
            recorded_by=recorder,
        )
    DisclosureApplication.objects.create(
        case=case,
        route=Route.RIGHT_TO_ASK,
        person_at_risk=victim,
        applicant_name="Applicant",
        applicant_relationship="self",
        subject_relationship="partner",
        received_on=days(-30),
        recorded_by=recorder,
    )
    # The victim was first seen 30 days ago: the satisfaction survey is due (after 28 days).
    Visit.objects.create(
        case=case,
        victim=victim,
        status=VisitStatus.COMPLETED,
        occurred_at=timezone.now() - datetime.timedelta(days=30),
        outcome=VisitOutcome.SEEN,
        recorded_by=recorder,
    )
    victim_updates_raise(case=case)  # a change in the investigation: the victim is owed an update
    return case


HOLDINGS = [
    # (SPOC, offender manager, IDVA)
    ("officer", "probation", "idva"),  # the usual case: probation cannot log a police visit
    ("officer", "iom officer", None),  # an integrated offender management officer visits the perpetrator
    ("officer", None, "police idva"),
    ("officer", "probation", "probation idva"),  # a perpetrator-side "IDVA" cannot review the victim's risk
    (None, "probation", None),  # nobody on the case can do police work: the supervisors hold it
    ("inactive officer", None, "inactive idva"),  # people who left hold nothing
    ("other force officer", "iom officer", "idva"),
]


@pytest.mark.parametrize(("spoc", "offender_manager", "idva"), HOLDINGS)
def test_every_task_goes_to_a_holder_who_can_do_it_else_to_the_supervisors(
    people, spoc, offender_manager, idva
) -> None:
    holders = {
        "spoc": people.get(spoc),
        "offender_manager": people.get(offender_manager),
        "idva": people.get(idva),
    }
    case = case_with_everything_due(people["north"], **holders)
    reminders_sweep()
    reminders = list(Reminder.objects.filter(case=case).select_related("assignee", "case"))
    assert {r.kind for r in reminders} == set(WHO_CAN)
    supervisor_list = set(team_tasks_for(people["sergeant"]).values_list("pk", flat=True))
    for reminder in reminders:
        can = WHO_CAN[reminder.kind]
        able = [h for h in holders.values() if h is not None and h.is_active and can(h, case)]
        if reminder.assignee is not None:
            assert reminder.assignee.is_active and can(reminder.assignee, case), reminder.kind
            assert reminder.assignee in holders.values()
            assert reminder.pk in set(tasks_for(reminder.assignee).values_list("pk", flat=True))
        else:
            assert able == [], f"{reminder.kind} held by nobody though {able} could do it"
            assert reminder.pk in supervisor_list, f"{reminder.kind} held by nobody and not on the team list"
        for holder in holders.values():
            if holder is not None and not can(holder, case):
                assert reminder.pk not in set(tasks_for(holder).values_list("pk", flat=True))


def test_the_sergeant_sees_what_nobody_on_the_case_can_do_and_the_digest_and_email_say_so(people, login) -> None:
    case = case_with_everything_due(people["north"], offender_manager=people["probation"], risk=RiskLevel.HIGH)
    reminders_sweep()
    police_work = Reminder.objects.filter(case=case).exclude(
        kind__in=[ReminderKind.RISK_REVIEW_DUE, ReminderKind.SAFETY_PLAN_REVIEW_DUE]
    )
    assert police_work.exists() and not police_work.filter(assignee__isnull=False).exists()
    assert not tasks_for(people["probation"]).exists()
    team = login(people["sergeant"]).get("/tasks/?view=team").content.decode()
    assert "Visit to perpetrator due" in team and "Not assigned" in team
    mail.outbox.clear()
    notify_high_risk()
    assert {address for m in mail.outbox for address in m.to} == {"sergeant@example.org"}
    mail.outbox.clear()
    send_digests()
    by_person = {m.to[0]: m.body for m in mail.outbox}
    assert "probation@example.org" not in by_person
    unassigned = by_person["sergeant@example.org"].split("Not assigned: nobody on the case can do these")[1]
    assert f"Visit to perpetrator due: case {case.reference}" in unassigned
    assert f"Order ends tomorrow: case {case.reference}" in unassigned


def test_probation_no_longer_holds_a_visit_it_cannot_log_and_the_spoc_can_log_it(people, login) -> None:
    case = case_with_everything_due(people["north"], spoc=people["officer"], offender_manager=people["probation"])
    reminders_sweep()
    probation_page = login(people["probation"]).get("/tasks/").content.decode()
    assert "Visit to perpetrator due" not in probation_page
    client = login(people["officer"])
    assert "Visit to perpetrator due" in client.get("/tasks/").content.decode()
    assert client.get(f"/cases/{case.public_id}/visits/new/").status_code == 200
    # As before, probation is refused the visit form: nothing now sends it there.
    assert login(people["probation"]).get(f"/cases/{case.public_id}/visits/new/").status_code == 403


def test_the_sweep_moves_open_tasks_held_by_someone_who_cannot_act(people) -> None:
    officer, probation = people["officer"], people["probation"]
    case = CaseFactory(area=people["north"], spoc=officer, offender_manager=probation, risk_level=RiskLevel.HIGH)
    # As raised before this fix: the perpetrator visit owed by the offender manager, e-mailed to them.
    wrong = ReminderFactory(case=case, assignee=probation, due_on=days(-4), high_risk=True, notified_at=timezone.now())
    done = ReminderFactory(case=case, assignee=probation, due_on=days(-40), status=ReminderStatus.DONE)
    right = ReminderFactory(
        case=case,
        kind=ReminderKind.RISK_REVIEW_DUE,
        subject_key="risk_review",
        assignee=officer,
        due_on=days(-1),
        high_risk=True,
        notified_at=timezone.now(),
    )
    reminders_sweep()
    wrong.refresh_from_db()
    done.refresh_from_db()
    right.refresh_from_db()
    assert wrong.assignee == officer and wrong.notified_at is None  # the SPOC is e-mailed now
    assert done.assignee == probation  # history is left as it was
    assert right.assignee == officer and right.notified_at is not None  # nothing to change: no second e-mail
    mail.outbox.clear()
    assert notify_high_risk() == 1 and mail.outbox[0].to == ["officer@example.org"]


def test_reallocating_the_offender_manager_leaves_the_visit_with_the_police(people) -> None:
    officer, sergeant = people["officer"], people["sergeant"]
    case = case_with_everything_due(people["north"], spoc=officer, offender_manager=officer)
    reminders_sweep()
    assert set(Reminder.objects.filter(case=case).values_list("assignee", flat=True)) == {officer.pk}
    cases_reallocate(
        actor=sergeant,
        cases=[case],
        field="offender_manager",
        to_user=people["probation"],
        reason="Probation now manages him",
    )
    # Before: every open task the officer held on the case moved to probation.
    assert set(Reminder.objects.filter(case=case).values_list("assignee", flat=True)) == {officer.pk}
    cases_reallocate(actor=sergeant, cases=[case], field="spoc", to_user=people["iom officer"], reason="Leave cover")
    assert set(Reminder.objects.filter(case=case).values_list("assignee", flat=True)) == {people["iom officer"].pk}


def test_agency_tasks_are_seen_by_exactly_the_people_who_can_do_them(people) -> None:
    officer, sergeant = people["officer"], people["sergeant"]
    case = case_with_everything_due(people["north"], spoc=officer)
    housing = AreaFactory(agency=VictimSideAgencyFactory())
    referral = referral_create(
        actor=officer,
        case=case,
        subject_person=case.victims.get().person,
        to_agency=housing.agency,
        reason="Rehousing",
        urgency=Urgency.HIGH,
        sharing=Sharing.SUMMARY,
        consent=Consent.GIVEN,
        consent_method="verbal",
    )
    referral_send(actor=officer, referral=referral)
    Referral.objects.filter(pk=referral.pk).update(response_due_on=days(-1))
    meeting = meeting_schedule(
        actor=sergeant, kind=MeetingKind.MARAC, held_on=days(-10), attending_agencies=[housing.agency]
    )
    item = meeting_add_case(actor=sergeant, meeting=meeting, case=case)
    meeting_action_assign(actor=sergeant, item=item, agency=housing.agency, description="Check", due_on=days(-4))
    reminders_sweep()
    referral.refresh_from_db()
    action = MeetingAction.objects.get()
    agency_kinds = {sweep.kind for sweep in KINDS if sweep.owner is None}
    assert agency_kinds == {ReminderKind.REFERRAL_RESPONSE_OVERDUE, ReminderKind.MEETING_ACTION_DUE}
    for role in Role:
        person = UserFactory(area=housing, role=role)
        kinds = set(tasks_for(person).values_list("kind", flat=True))
        assert (ReminderKind.REFERRAL_RESPONSE_OVERDUE in kinds) == can_respond_to_referral(person, referral), role
        assert (ReminderKind.MEETING_ACTION_DUE in kinds) == can_complete_meeting_action(person, action), role
