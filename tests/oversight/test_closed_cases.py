"""A closed case is read only everywhere (services, pages, API) until reopened.

Every service that writes to a case or its records refuses with one clear message and writes
nothing; the case page says the case is closed and offers no change; closing winds down what was
still open so that nobody is left with a task that cannot be done.
"""

import datetime
import re
from dataclasses import dataclass
from typing import cast

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cases.access.models import CaseAccessGrant, GrantSource
from cases.access.services import case_access_grant
from cases.models import Case, CaseStatus, ChronologyEntry
from cases.services import case_change_status
from dacrre.accounts.models import Agency, Role, Scope, User
from dacrre.core.exceptions import CaseClosedError
from disclosures.models import Decision, DisclosureApplication, DisclosureOutcome, Route
from disclosures.services import application_decide, application_record, application_record_disclosure
from meetings.models import ActionStatus, AgendaItem, Meeting, MeetingAction, MeetingKind
from meetings.services import (
    agenda_item_record_discussion,
    meeting_action_assign,
    meeting_action_complete,
    meeting_add_case,
    meeting_schedule,
)
from offender_management.models import Intervention, InterventionType
from offender_management.services import intervention_record
from orders.models import OrderBreach, OrderKind, ProtectiveOrder
from orders.services import order_breach_record, order_record, order_update
from oversight.models import CaseClosureRequest, ClosureStatus
from oversight.services import cases_reallocate, closure_decide, closure_request
from referrals.models import Consent, Referral, ReferralStatus, ReferralUpdate, Sharing, Urgency
from referrals.selectors import inbox_for
from referrals.services import (
    referral_accept,
    referral_add_update,
    referral_complete,
    referral_create,
    referral_decline,
    referral_send,
    referral_withdraw,
)
from reminders.models import Reminder, ReminderStatus
from risk.models import Answer, RiskAssessment
from risk.questions import QUESTION_KEYS
from risk.services import marac_referral_record, risk_assessment_record
from safety_plans.models import SafetyPlan, SafetyPlanVersion, SchoolNotification
from safety_plans.services import safety_plan_for, safety_plan_save, school_notification_record
from tests.factories import (
    AreaFactory,
    CaseChildFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    IncidentFactory,
    UserFactory,
    VictimSideAgencyFactory,
)
from victims.models import Child, Victim
from visits.models import Visit, VisitOutcome, VisitStatus
from visits.services import visit_cancel, visit_log, visit_plan

TODAY = timezone.localdate()
NOW = timezone.now()


@dataclass
class Closed:
    case: Case
    officer: User
    supervisor: User
    idva: User
    housing_worker: User
    victim: Victim
    child: Child
    planned: Visit
    order: ProtectiveOrder
    undecided: DisclosureApplication
    to_disclose: DisclosureApplication
    plan: SafetyPlan
    notification: SchoolNotification
    draft: Referral
    sent: Referral
    accepted: Referral
    item: AgendaItem
    action: MeetingAction
    meeting: Meeting


def _referral(officer, case, person, agency):
    return referral_create(
        actor=officer,
        case=case,
        subject_person=person,
        to_agency=agency,
        reason="Support needed",
        urgency=Urgency.MEDIUM,
        sharing=Sharing.SUMMARY,
        consent=Consent.GIVEN,
        consent_method="verbal",
    )


@pytest.fixture
def closed(db) -> Closed:
    """A case with some of everything, then closed by a direct status change (as old data may be),
    so that every kind of record is still open on a closed case."""
    area = AreaFactory()
    officer = UserFactory(area=area)
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    idva_agency, housing = IdvaAgencyFactory(), VictimSideAgencyFactory()
    idva = UserFactory(area=AreaFactory(agency=idva_agency), role=Role.IDVA, scope=Scope.AGENCY)
    housing_worker = UserFactory(area=AreaFactory(agency=housing), role=Role.PARTNER_CASEWORKER)
    case = CaseFactory(area=area, spoc=officer, idva=idva)
    victim = CaseVictimFactory(case=case).victim
    child = CaseChildFactory(case=case).child
    planned = visit_plan(actor=officer, case=case, victim=None, planned_for=NOW + datetime.timedelta(days=3))
    order = order_record(
        actor=officer,
        case=case,
        kind=OrderKind.DVPO,
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=28),
        conditions="No contact",
    )
    undecided = application_record(
        actor=officer,
        case=case,
        route=Route.RIGHT_TO_ASK,
        person_at_risk=victim,
        applicant_name="A. Applicant",
        applicant_relationship="Sister",
        subject_relationship="Partner",
        received_on=TODAY,
    )
    to_disclose = application_record(
        actor=officer,
        case=case,
        route=Route.RIGHT_TO_KNOW,
        person_at_risk=victim,
        applicant_name="Police",
        applicant_relationship="",
        subject_relationship="Partner",
        received_on=TODAY,
    )
    application_decide(
        actor=officer, application=to_disclose, decision=Decision.DISCLOSE, rationale="Risk", decided_on=TODAY
    )
    plan = safety_plan_for(case=case, victim=victim)
    notification = SchoolNotification.objects.create(
        case=case, child=child, incident=IncidentFactory(perpetrator=case.perpetrator)
    )
    draft = _referral(officer, case, victim.person, housing)
    sent = referral_send(actor=officer, referral=_referral(officer, case, victim.person, housing))
    accepted = referral_accept(
        actor=housing_worker,
        referral=referral_send(actor=officer, referral=_referral(officer, case, victim.person, housing)),
    )
    meeting = meeting_schedule(actor=supervisor, kind=MeetingKind.MARAC, held_on=TODAY, attending_agencies=[housing])
    item = meeting_add_case(actor=supervisor, meeting=meeting, case=case)
    action = meeting_action_assign(actor=supervisor, item=item, agency=housing, description="Call", due_on=TODAY)
    case_change_status(actor=supervisor, case=case, to_status=CaseStatus.CLOSED, reason="Closed for the test")
    case.refresh_from_db()
    return Closed(
        case=case,
        officer=officer,
        supervisor=supervisor,
        idva=idva,
        housing_worker=housing_worker,
        victim=victim,
        child=child,
        planned=planned,
        order=order,
        undecided=undecided,
        to_disclose=to_disclose,
        plan=plan,
        notification=notification,
        draft=draft,
        sent=sent,
        accepted=accepted,
        item=item,
        action=action,
        meeting=meeting,
    )


def _writes(c: Closed) -> dict:
    """Every service that writes to a case or its records, called as its rightful user would."""
    return {
        "visit_plan": lambda: visit_plan(
            actor=c.officer, case=c.case, victim=None, planned_for=NOW + datetime.timedelta(days=1)
        ),
        "visit_log": lambda: visit_log(
            actor=c.officer, case=c.case, victim=None, occurred_at=NOW, outcome=VisitOutcome.SEEN
        ),
        "visit_cancel": lambda: visit_cancel(actor=c.officer, visit=c.planned, reason="No longer needed"),
        "risk_assessment_record": lambda: risk_assessment_record(
            actor=c.officer, case=c.case, victim=c.victim, answers=dict.fromkeys(QUESTION_KEYS, Answer.NO)
        ),
        "marac_referral_record": lambda: marac_referral_record(actor=c.officer, case=c.case),
        "safety_plan_save": lambda: safety_plan_save(actor=c.idva, plan=c.plan, expected_version=0, measures={}),
        "school_notification_record": lambda: school_notification_record(
            actor=c.officer, notification=c.notification, notified_on=TODAY
        ),
        "order_record": lambda: order_record(
            actor=c.officer, case=c.case, kind=OrderKind.DVPN, starts_on=TODAY, ends_on=None, conditions="None"
        ),
        "order_update": lambda: order_update(
            actor=c.officer,
            order=c.order,
            reference="X1",
            starts_on=TODAY,
            ends_on=None,
            conditions="Varied",
            protected_victims=[],
            protected_children=[],
        ),
        "order_breach_record": lambda: order_breach_record(
            actor=c.officer, order=c.order, occurred_on=TODAY, details="Came to the house", action_taken="Arrested"
        ),
        "application_record": lambda: application_record(
            actor=c.officer,
            case=c.case,
            route=Route.RIGHT_TO_ASK,
            person_at_risk=c.victim,
            applicant_name="B",
            applicant_relationship="",
            subject_relationship="",
            received_on=TODAY,
        ),
        "application_decide": lambda: application_decide(
            actor=c.officer, application=c.undecided, decision=Decision.NOT_DISCLOSE, rationale="x", decided_on=TODAY
        ),
        "application_record_disclosure": lambda: application_record_disclosure(
            actor=c.officer, application=c.to_disclose, outcome=DisclosureOutcome.MADE, outcome_on=TODAY
        ),
        "referral_create": lambda: _referral(c.officer, c.case, c.victim.person, c.sent.to_agency),
        "referral_send": lambda: referral_send(actor=c.officer, referral=c.draft),
        "referral_accept": lambda: referral_accept(actor=c.housing_worker, referral=c.sent),
        "referral_decline": lambda: referral_decline(actor=c.housing_worker, referral=c.sent, reason="No capacity"),
        "referral_complete": lambda: referral_complete(actor=c.housing_worker, referral=c.accepted, outcome="Done"),
        "referral_withdraw": lambda: referral_withdraw(actor=c.officer, referral=c.sent, reason="Not needed"),
        "referral_add_update": lambda: referral_add_update(actor=c.officer, referral=c.sent, text="Update"),
        "meeting_add_case": lambda: meeting_add_case(
            actor=c.supervisor,
            meeting=meeting_schedule(actor=c.supervisor, kind=MeetingKind.MARAC, held_on=TODAY, attending_agencies=[]),
            case=c.case,
        ),
        "agenda_item_record_discussion": lambda: agenda_item_record_discussion(
            actor=c.supervisor, item=c.item, summary="Discussed"
        ),
        "meeting_action_assign": lambda: meeting_action_assign(
            actor=c.supervisor, item=c.item, agency=cast(Agency, c.sent.to_agency), description="Another", due_on=TODAY
        ),
        "meeting_action_complete": lambda: meeting_action_complete(
            actor=c.housing_worker, action=c.action, outcome="Called"
        ),
        "intervention_record": lambda: intervention_record(
            actor=c.officer,
            perpetrator=c.case.perpetrator,
            case=c.case,
            kind=InterventionType.SUPPORT,
            occurred_on=TODAY,
            description="Advice",
        ),
        "case_access_grant": lambda: case_access_grant(
            actor=c.supervisor,
            case=c.case,
            agency=cast(Agency, c.idva.agency),
            source_kind=GrantSource.MEETING,
            source_id=c.meeting.public_id,
        ),
        "closure_request": lambda: closure_request(actor=c.officer, case=c.case, reason="Close it again please"),
    }


def _snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        case.updated_at,
        ChronologyEntry.objects.filter(case=case).count(),
        list(Visit.objects.filter(case=case).values_list("status", "notes")),
        RiskAssessment.objects.filter(case=case).count(),
        SafetyPlanVersion.objects.filter(plan__case=case).count(),
        list(SchoolNotification.objects.filter(case=case).values_list("notified_on", flat=True)),
        list(ProtectiveOrder.objects.filter(case=case).values_list("conditions", "reference")),
        OrderBreach.objects.filter(order__case=case).count(),
        list(DisclosureApplication.objects.filter(case=case).values_list("decision", "outcome")),
        list(Referral.objects.filter(case=case).order_by("pk").values_list("status", flat=True)),
        ReferralUpdate.objects.filter(referral__case=case).count(),
        AgendaItem.objects.filter(case=case).count(),
        list(MeetingAction.objects.filter(agenda_item__case=case).values_list("status", "description")),
        Intervention.objects.filter(case=case).count(),
        CaseAccessGrant.objects.filter(case=case, revoked_at__isnull=True).count(),
        CaseClosureRequest.objects.filter(case=case).count(),
    )


# Every service in the project that writes to a case or one of its records.
CASE_WRITES = sorted(
    [
        "visit_plan",
        "visit_log",
        "visit_cancel",
        "risk_assessment_record",
        "marac_referral_record",
        "safety_plan_save",
        "school_notification_record",
        "order_record",
        "order_update",
        "order_breach_record",
        "application_record",
        "application_decide",
        "application_record_disclosure",
        "referral_create",
        "referral_send",
        "referral_accept",
        "referral_decline",
        "referral_complete",
        "referral_withdraw",
        "referral_add_update",
        "meeting_add_case",
        "agenda_item_record_discussion",
        "meeting_action_assign",
        "meeting_action_complete",
        "intervention_record",
        "case_access_grant",
        "closure_request",
    ]
)


@pytest.mark.django_db
@pytest.mark.parametrize("service", CASE_WRITES)
def test_every_write_service_refuses_a_closed_case_and_writes_nothing(closed, service) -> None:
    before = _snapshot(closed.case)
    with pytest.raises(CaseClosedError) as refused:
        _writes(closed)[service]()
    assert refused.value.message == f"Case {closed.case.reference} was closed on {TODAY:%-d %b %Y}: it is read only."
    assert _snapshot(closed.case) == before


def test_the_list_of_write_services_is_complete() -> None:
    """A service added to an app's services.py that takes a case or a case record must be listed
    above (and refuse closed cases). Functions that only read, or that write no case record, are
    named here with the reason."""
    import importlib

    not_case_writes = {
        "case_open",  # a new case
        "case_change_status",  # closed cases have no transition out (CASE_TRANSITIONS)
        "chronology_record",  # called by the services above, after their check
        "case_victim_added",  # called by the services that add a victim, after their check
        "case_require_open",
        "case_closed_message",
        "operation_create",
        "operation_cadences_set",
        "safety_plan_for",  # the plan page's read
        "school_notifications_raise",  # raised for open cases only
        "versions_compare",
        "assessments_compare",
        "potential_escalation",
        "repeat_marac",
        "referral_mark_opened",  # reading tracked, not a change to the case
        "referral_log_disclosure",  # the access log
        "referrals_expire_access",
        "meeting_schedule",
        "meeting_set_attendance",  # shares open cases only
        "meeting_conclude",  # ends sharing
        "programme_allocate",  # the perpetrator's; chronology on open cases only
        "programme_end",
        "case_access_revoke",
        "case_access_revoke_all",
        "break_glass_open",  # a look, logged; a closed case can be looked at
        "break_glass_review",
        "cases_reallocate",  # skips closed cases and says so (test below)
        "caseload_move",
        "closure_decide",  # decides a pending request; a closed case has none
        "may_request_closure",
        "closure_pending_for",
        "closure_blockers",
        "closure_blockers_for",
        "closure_decided_message",
        "already_requested_message",
        "visit_log_problems",  # checks a visit form's answers; writes nothing
    }
    found = set()
    for app in ["visits", "risk", "safety_plans", "orders", "disclosures", "referrals", "meetings"]:
        found |= _public_services(importlib.import_module(f"{app}.services"))
    for module in ["offender_management.services", "oversight.services", "cases.services"]:
        found |= _public_services(importlib.import_module(module))
    found |= {"case_access_grant", "case_access_revoke", "case_access_revoke_all", "break_glass_open"}
    found |= {"break_glass_review"}
    unknown = found - set(CASE_WRITES) - not_case_writes
    assert unknown == set(), f"say whether these write to a case: {sorted(unknown)}"


def _public_services(module) -> set[str]:
    import inspect

    return {
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value) and value.__module__ == module.__name__ and not name.startswith("_")
    }


@pytest.mark.django_db
def test_reallocating_a_closed_case_changes_nothing_and_says_why(closed) -> None:
    bob = UserFactory(area=closed.officer.area)
    result = cases_reallocate(
        actor=closed.supervisor, cases=[closed.case], field="spoc", to_user=bob, reason="Officer on leave"
    )
    closed.case.refresh_from_db()
    assert result.moved == [] and closed.case.spoc == closed.officer
    assert result.conflicts == [
        f"Case {closed.case.reference} was closed on {TODAY:%-d %b %Y}: it is read only. Nothing changed for it."
    ]


WRITE_LINKS = re.compile(
    r'href="[^"]*/(visits/new|visits/plan|risk/new|orders/new|disclosures/new|referrals/new|close)/'
)


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer", "supervisor", "idva"])
def test_the_closed_case_page_says_so_and_offers_no_change(closed, login, who) -> None:
    page = login(getattr(closed, who)).get(f"/cases/{closed.case.public_id}/").content.decode()
    assert f"This case is closed on {TODAY:%-d %b %Y}: it is read only." in page
    assert WRITE_LINKS.findall(page) == []
    assert "Log a visit" not in page and "Record MARAC referral" not in page
    assert 'method="post"' not in page.split("<main")[1].split("</main>")[0]


@pytest.mark.django_db
def test_the_same_case_open_offers_the_changes(closed, login) -> None:
    """The other side: the links hidden on the closed case are there while it is open."""
    open_case = CaseFactory(area=closed.officer.area, spoc=closed.officer)
    CaseVictimFactory(case=open_case)
    page = login(closed.officer).get(f"/cases/{open_case.public_id}/").content.decode()
    found = set(WRITE_LINKS.findall(page))
    assert found == {"visits/new", "visits/plan", "risk/new", "orders/new", "disclosures/new", "referrals/new", "close"}


@pytest.mark.django_db
def test_the_records_of_a_closed_case_show_no_form(closed, login) -> None:
    case = closed.case.public_id
    pages = {
        closed.officer: [
            f"/cases/{case}/visits/{closed.planned.public_id}/",
            f"/cases/{case}/orders/{closed.order.public_id}/",
            f"/cases/{case}/disclosures/{closed.undecided.public_id}/",
            f"/cases/{case}/disclosures/{closed.to_disclose.public_id}/",
            f"/cases/{case}/safety-plans/{closed.victim.public_id}/",
            f"/cases/{case}/safety-plans/children/",
            f"/referrals/{closed.draft.public_id}/",
            f"/referrals/{closed.sent.public_id}/",
        ],
        closed.supervisor: [f"/meetings/{closed.meeting.public_id}/"],
    }
    for user, urls in pages.items():
        client = login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            main = response.content.decode().split("<main")[1].split("</main>")[0]
            if "/meetings/" in url:  # the meeting's own forms remain; none for the closed case's item
                assert f"/meetings/items/{closed.item.public_id}/" not in main
            else:
                assert 'method="post"' not in main, url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["visits/new/", "visits/plan/", "risk/new/", "orders/new/", "disclosures/new/", "referrals/new/"]
)
def test_a_create_page_of_a_closed_case_goes_back_to_the_case_with_the_reason(closed, login, path) -> None:
    client = login(closed.officer)
    response = client.get(f"/cases/{closed.case.public_id}/{path}", follow=True)
    assert response.redirect_chain == [(f"/cases/{closed.case.public_id}/", 302)]
    assert "it is read only" in response.content.decode()


@pytest.mark.django_db
def test_a_post_to_a_closed_case_saves_nothing_and_says_why(closed, login) -> None:
    client = login(closed.officer)
    before = _snapshot(closed.case)
    response = client.post(
        f"/cases/{closed.case.public_id}/visits/new/",
        {"subject": "perpetrator", "occurred_on": TODAY.strftime("%d/%m/%Y"), "outcome": VisitOutcome.SEEN},
        follow=True,
    )
    assert "it is read only" in response.content.decode()
    response = client.post(
        f"/cases/{closed.case.public_id}/orders/{closed.order.public_id}/",
        {"occurred_on": TODAY.strftime("%d/%m/%Y"), "details": "Seen outside", "action_taken": "Words of advice"},
        follow=True,
    )
    assert "it is read only" in response.content.decode()
    assert _snapshot(closed.case) == before


@pytest.mark.django_db
def test_the_api_refuses_a_write_to_a_closed_case_with_a_clear_json_error(closed) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=closed.housing_worker).key}")
    before = _snapshot(closed.case)
    response = client.post(f"/api/v1/referrals/{closed.sent.public_id}/accept/")
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"Case {closed.case.reference} was closed on {TODAY:%-d %b %Y}: it is read only."
    }
    response = client.post(f"/api/v1/referrals/{closed.accepted.public_id}/updates/", {"text": "Still working"})
    assert response.status_code == 409 and "read only" in response.json()["detail"]
    assert _snapshot(closed.case) == before


@pytest.fixture
def closing(db):
    """An open case with work under way, and a closure request awaiting its supervisor."""
    area = AreaFactory()
    officer = UserFactory(area=area)
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    housing = VictimSideAgencyFactory()
    worker = UserFactory(area=AreaFactory(agency=housing), role=Role.PARTNER_CASEWORKER)
    case = CaseFactory(area=area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    draft = _referral(officer, case, victim.person, housing)
    sent = referral_send(actor=officer, referral=_referral(officer, case, victim.person, housing))
    accepted = referral_accept(
        actor=worker, referral=referral_send(actor=officer, referral=_referral(officer, case, victim.person, housing))
    )
    meeting = meeting_schedule(actor=supervisor, kind=MeetingKind.MARAC, held_on=TODAY, attending_agencies=[housing])
    item = meeting_add_case(actor=supervisor, meeting=meeting, case=case)
    action = meeting_action_assign(actor=supervisor, item=item, agency=housing, description="Call", due_on=TODAY)
    planned = visit_plan(actor=officer, case=case, victim=victim, planned_for=NOW + datetime.timedelta(days=2))
    request = closure_request(actor=officer, case=case, reason="No incidents for a year")
    return {
        "case": case,
        "officer": officer,
        "supervisor": supervisor,
        "worker": worker,
        "victim": victim,
        "referrals": [draft, sent, accepted],
        "action": action,
        "planned": planned,
        "request": request,
        "meeting": meeting,
    }


@pytest.mark.django_db
def test_closing_winds_down_what_is_open_so_nobody_is_left_with_a_dead_task(closing, login) -> None:
    closure_decide(actor=closing["supervisor"], request=closing["request"], approve=True, comments="")
    case = closing["case"]
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    for referral in closing["referrals"]:
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.WITHDRAWN
        assert f"the case {case.reference} was closed on" in referral.withdraw_reason
    closing["action"].refresh_from_db()
    assert closing["action"].status == ActionStatus.COMPLETED
    assert closing["action"].outcome.startswith("No longer needed: the case")
    closing["planned"].refresh_from_db()
    assert closing["planned"].status == VisitStatus.CANCELLED
    summary = ChronologyEntry.objects.filter(case=case, summary__startswith="Closed with the case").get().summary
    references = ", ".join(r.reference for r in sorted(closing["referrals"], key=lambda r: r.pk))
    assert f"referrals {references} withdrawn" in summary
    assert "1 open meeting action closed" in summary and "1 planned visit cancelled" in summary
    assert not Reminder.objects.filter(case=case, status=ReminderStatus.OPEN).exists()
    # The housing agency's inbox no longer holds a referral it cannot act on, and the meeting can conclude.
    assert list(inbox_for(closing["worker"])) == []
    client = login(closing["supervisor"])
    done = client.post(f"/meetings/{closing['meeting'].public_id}/conclude/", follow=True)
    assert "Meeting concluded" in done.content.decode()


@pytest.mark.django_db
def test_a_case_with_a_clares_law_application_awaiting_its_decision_cannot_close(closing, login) -> None:
    case, officer, supervisor = closing["case"], closing["officer"], closing["supervisor"]
    application = application_record(
        actor=officer,
        case=case,
        route=Route.RIGHT_TO_ASK,
        person_at_risk=closing["victim"],
        applicant_name="A. Applicant",
        applicant_relationship="Friend",
        subject_relationship="Partner",
        received_on=TODAY,
    )
    client = login(supervisor)
    page = client.get("/team/closures/").content.decode()
    assert "This case cannot close yet: the Clare&#x27;s Law application received on" in page
    response = client.post(
        "/team/closures/",
        {"request": str(closing["request"].public_id), f"c{closing['request'].pk}-decision": "approve"},
    )
    assert "cannot close yet" in response.content.decode()
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED
    application_decide(
        actor=officer, application=application, decision=Decision.NOT_DISCLOSE, rationale="No record", decided_on=TODAY
    )
    closure_decide(actor=supervisor, request=closing["request"], approve=True, comments="")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert CaseClosureRequest.objects.get(pk=closing["request"].pk).status == ClosureStatus.APPROVED
