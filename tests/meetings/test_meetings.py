import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import RiskLevel
from cases.selectors import case_victim_contact_allowed, cases_visible_to
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from meetings.models import ActionStatus, MeetingKind
from meetings.selectors import agenda_suggestions
from meetings.services import (
    meeting_action_assign,
    meeting_action_complete,
    meeting_add_case,
    meeting_conclude,
    meeting_schedule,
    meeting_set_attendance,
)
from tests.factories import (
    AreaFactory,
    CaseFactory,
    IncidentFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimSideAgencyFactory,
)


@pytest.fixture
def marac(db):
    chair = UserFactory(role=Role.SUPERVISOR, scope=Scope.AGENCY)
    housing, probation = VictimSideAgencyFactory(), ProbationAgencyFactory()
    meeting = meeting_schedule(
        actor=chair, kind=MeetingKind.MARAC, held_on=timezone.localdate(), attending_agencies=[housing, probation]
    )
    case = CaseFactory(area=chair.area, risk_level=RiskLevel.HIGH)
    return chair, meeting, case, housing, probation


def _member(agency):
    return UserFactory(area=AreaFactory(agency=agency), role=Role.PARTNER_CASEWORKER, scope=Scope.ASSIGNED)


@pytest.mark.django_db
def test_sharing_a_case_on_the_agenda_grants_attending_agencies_until_the_meeting_concludes(marac) -> None:
    chair, meeting, case, housing, probation = marac
    housing_worker, probation_worker = _member(housing), _member(probation)
    meeting_add_case(actor=chair, meeting=meeting, case=case)
    assert list(cases_visible_to(housing_worker)) == [case]
    assert list(cases_visible_to(probation_worker)) == [case]
    assert case_victim_contact_allowed(housing_worker, case) is True  # MARAC shares with victim-side agencies
    assert case_victim_contact_allowed(probation_worker, case) is False  # never with perpetrator-side
    assert AccessLog.objects.filter(action=AccessAction.DISCLOSE, case_reference=case.reference).count() == 2

    meeting_conclude(actor=chair, meeting=meeting)
    assert list(cases_visible_to(housing_worker)) == []
    with pytest.raises(InvalidTransitionError):
        meeting_add_case(actor=chair, meeting=meeting, case=CaseFactory(area=chair.area))


@pytest.mark.django_db
def test_attendance_changes_add_and_remove_access(marac) -> None:
    chair, meeting, case, housing, probation = marac
    meeting_add_case(actor=chair, meeting=meeting, case=case)
    social_care = VictimSideAgencyFactory()
    meeting_set_attendance(actor=chair, meeting=meeting, agencies=[housing, social_care])
    assert list(cases_visible_to(_member(social_care))) == [case]
    assert list(cases_visible_to(_member(probation))) == []
    assert list(cases_visible_to(_member(housing))) == [case]


@pytest.mark.django_db
def test_action_flow_through_the_agency_task_list(marac, login) -> None:
    chair, meeting, case, housing, _ = marac
    item = meeting_add_case(actor=chair, meeting=meeting, case=case)
    due = timezone.localdate() + datetime.timedelta(days=7)
    action = meeting_action_assign(actor=chair, item=item, agency=housing, description="Priority rehousing", due_on=due)
    worker = _member(housing)
    client = login(worker)
    html = client.get("/meetings/actions/").content.decode()
    assert "Priority rehousing" in html
    empty = client.post(f"/meetings/actions/{action.public_id}/complete/", {f"o{action.pk}-outcome": ""})
    assert "Enter the outcome of the action" in empty.content.decode()
    done = client.post(f"/meetings/actions/{action.public_id}/complete/", {f"o{action.pk}-outcome": "Flat offered"})
    assert done.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.outcome, action.completed_by) == (ActionStatus.COMPLETED, "Flat offered", worker)
    with pytest.raises(InvalidTransitionError):
        meeting_action_complete(actor=worker, action=action, outcome="again")


@pytest.mark.django_db
def test_refused_meeting_changes(marac) -> None:
    chair, meeting, case, housing, probation = marac
    item = meeting_add_case(actor=chair, meeting=meeting, case=case)
    with pytest.raises(ApplicationError, match="already on the agenda"):
        meeting_add_case(actor=chair, meeting=meeting, case=case)
    with pytest.raises(PermissionDeniedError):
        meeting_add_case(actor=_member(housing), meeting=meeting, case=CaseFactory(area=chair.area))
    with pytest.raises(ApplicationError, match="attending the meeting"):
        meeting_action_assign(
            actor=chair, item=item, agency=VictimSideAgencyFactory(), description="x", due_on=timezone.localdate()
        )
    action = meeting_action_assign(actor=chair, item=item, agency=housing, description="x", due_on=timezone.localdate())
    with pytest.raises(PermissionDeniedError):
        meeting_action_complete(actor=_member(probation), action=action, outcome="not ours")
    with pytest.raises(ApplicationError, match="still open"):
        meeting_conclude(actor=chair, meeting=meeting)


@pytest.mark.django_db
def test_high_risk_and_repeat_marac_cases_are_suggested(marac) -> None:
    chair, meeting, high, _, _ = marac
    today = timezone.localdate()
    repeat = CaseFactory(
        area=chair.area, risk_level=RiskLevel.MEDIUM, last_marac_referral_on=today - datetime.timedelta(days=100)
    )
    IncidentFactory(perpetrator=repeat.perpetrator, occurred_at=timezone.now() - datetime.timedelta(days=20))
    old_referral = CaseFactory(
        area=chair.area, risk_level=RiskLevel.MEDIUM, last_marac_referral_on=today - datetime.timedelta(days=500)
    )
    IncidentFactory(perpetrator=old_referral.perpetrator, occurred_at=timezone.now() - datetime.timedelta(days=20))
    CaseFactory(area=chair.area, risk_level=RiskLevel.STANDARD)
    suggested = set(agenda_suggestions(chair, meeting))
    assert suggested == {high, repeat}
    meeting_add_case(actor=chair, meeting=meeting, case=high)
    assert set(agenda_suggestions(chair, meeting)) == {repeat}


@pytest.mark.django_db
def test_meeting_pages_end_to_end_and_constant_queries(marac, login) -> None:
    chair, meeting, case, housing, _ = marac
    client = login(chair)
    response = client.post(f"/meetings/{meeting.public_id}/add-case/", {"case_reference": case.reference})
    assert response.status_code == 302
    bad = client.post(f"/meetings/{meeting.public_id}/add-case/", {"case_reference": "DA-00-00000"})
    assert "There is no case with that reference that you can see" in bad.content.decode()
    with CaptureQueriesContext(connection) as few:
        client.get(f"/meetings/{meeting.public_id}/")
    for _ in range(4):
        item = meeting_add_case(actor=chair, meeting=meeting, case=CaseFactory(area=chair.area))
        meeting_action_assign(actor=chair, item=item, agency=housing, description="x", due_on=timezone.localdate())
    with CaptureQueriesContext(connection) as many:
        client.get(f"/meetings/{meeting.public_id}/")
    assert len(many) == len(few)
    assert login(_member(VictimSideAgencyFactory())).get(f"/meetings/{meeting.public_id}/").status_code == 404


@pytest.mark.django_db
def test_the_chair_assigns_an_action_through_the_page_and_the_agency_completes_it_from_its_tasks(marac, login) -> None:
    """Issue 15 item 13: the agency choice was drawn over an empty queryset, so every submission failed
    "Select a valid choice". Sign in as the chair, assign through the meeting page, then as the
    assigned agency see it in My tasks and the meeting actions, and complete it."""
    from meetings.models import MeetingAction
    from reminders.sweeps import reminders_sweep

    chair, meeting, case, housing, probation = marac
    item = meeting_add_case(actor=chair, meeting=meeting, case=case)
    client = login(chair)
    page = client.get(f"/meetings/{meeting.public_id}/").content.decode()
    assert f'<option value="{housing.pk}">{housing.name}</option>' in page
    assert "Agencies attending the meeting" in page
    url = f"/meetings/items/{item.public_id}/action/"
    due = timezone.localdate() + datetime.timedelta(days=2)

    # An agency that is not attending is refused with a clear message; what was typed is kept.
    outsider = VictimSideAgencyFactory()
    refused = client.post(
        url, {f"a{item.pk}-agency": outsider.pk, f"a{item.pk}-description": "Rehouse", f"a{item.pk}-due_on": "x"}
    )
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Choose one of the agencies attending the meeting" in html
    assert "Enter the due date as day/month/year" in html and ">Rehouse</textarea>" in html
    assert not MeetingAction.objects.exists()

    done = client.post(
        url,
        {
            f"a{item.pk}-agency": str(housing.pk),
            f"a{item.pk}-description": "Priority rehousing assessment",
            f"a{item.pk}-due_on": due.strftime("%d/%m/%Y"),
        },
        follow=True,
    )
    assert f"Action assigned to {housing.name}." in done.content.decode()
    action = MeetingAction.objects.get()
    assert (action.assigned_agency, action.due_on, action.agenda_item) == (housing, due, item)
    assert "Priority rehousing assessment" in done.content.decode()

    reminders_sweep()
    worker = _member(housing)
    client = login(worker)
    tasks = client.get("/tasks/").content.decode()
    assert "Meeting action due" in tasks and case.reference in tasks
    listed = client.get("/meetings/actions/").content.decode()
    assert "Priority rehousing assessment" in listed
    completed = client.post(
        f"/meetings/actions/{action.public_id}/complete/", {f"o{action.pk}-outcome": "Assessment booked"}, follow=True
    )
    assert "Action completed." in completed.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED and action.completed_by == worker
    assert case.reference not in client.get("/tasks/").content.decode()
    # The other agency at the table does not see it to complete.
    assert "Priority rehousing assessment" not in login(_member(probation)).get("/meetings/actions/").content.decode()


@pytest.mark.django_db
def test_an_action_due_date_is_bounded(marac) -> None:
    chair, meeting, case, housing, _ = marac
    item = meeting_add_case(actor=chair, meeting=meeting, case=case)
    with pytest.raises(ApplicationError, match="within a year of the meeting"):
        meeting_action_assign(
            actor=chair,
            item=item,
            agency=housing,
            description="x",
            due_on=meeting.held_on + datetime.timedelta(days=400),
        )
