"""Team caseload, reallocation, leave moves and closure approval."""

import datetime
import html
import re
from typing import Any, cast

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import CaseStatus, ChronologyEntry, ChronologyKind, RiskLevel
from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from disclosures.models import Route
from disclosures.services import application_record
from oversight.models import ClosureStatus
from oversight.selectors import team_caseload
from oversight.services import caseload_move, cases_reallocate, closure_decide, closure_request
from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    OperationFactory,
    ReminderFactory,
    UserFactory,
    VictimSideAgencyFactory,
    grant_case_to,
)

TODAY = timezone.localdate()


@pytest.fixture
def team(db):
    north = AreaFactory(name="North")
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA)
    alice = UserFactory(area=north, first_name="Alice", last_name="Able", email="alice@example.org")
    bob = UserFactory(area=north, first_name="Bob", last_name="Baker", email="bob@example.org")
    elsewhere = UserFactory(area=AreaFactory(agency=north.agency, name="South"))
    return north, supervisor, alice, bob, elsewhere


def _case(area, holder, **fields):
    return CaseFactory(area=area, spoc=holder, **fields)


def test_team_caseload_counts_hand_built_data_in_one_query(team) -> None:
    north, supervisor, alice, bob, elsewhere = team
    operation = OperationFactory(lead_agency=north.agency)
    high = _case(north, alice, risk_level=RiskLevel.HIGH, operation=operation)
    _case(north, alice, risk_level=RiskLevel.STANDARD)
    _case(north, alice, status=CaseStatus.CLOSED, closed_at=timezone.now())  # closed: not counted
    ReminderFactory(
        case=high, assignee=alice, kind=ReminderKind.PERPETRATOR_VISIT_DUE, due_on=TODAY - datetime.timedelta(days=2)
    )
    ReminderFactory(
        case=high, assignee=alice, kind=ReminderKind.RISK_REVIEW_DUE, due_on=TODAY - datetime.timedelta(days=1)
    )
    ReminderFactory(
        case=high, assignee=alice, kind=ReminderKind.RISK_REVIEW_DUE, due_on=TODAY + datetime.timedelta(days=1)
    )
    with CaptureQueriesContext(connection) as queries:
        rows: dict[str, Any] = {u.username: u for u in team_caseload(supervisor)}
    assert len(queries) == 1
    assert elsewhere.username not in rows  # another area
    a = rows[alice.username]
    assert (a.open_cases, a.high_risk_cases, a.overdue_visits, a.overdue_reviews) == (2, 1, 1, 1)
    assert rows[bob.username].open_cases == 0
    only_op = {u.username: u.open_cases for u in cast(Any, team_caseload(supervisor, operation_id=operation.pk))}
    assert only_op[alice.username] == 1
    assert [u.username for u in team_caseload(supervisor, sort="open")][0] == alice.username


def test_the_team_page_is_constant_in_queries_and_sortable(team, login) -> None:
    north, supervisor, alice, bob, _ = team
    client = login(supervisor)
    _case(north, alice)
    with CaptureQueriesContext(connection) as few:
        client.get("/team/")
    for _ in range(10):
        _case(north, bob, risk_level=RiskLevel.HIGH)
        UserFactory(area=north)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/team/?sort=high").content.decode()
    assert len(many) == len(few)
    assert page.index("Bob Baker") < page.index("Alice Able")  # most high-risk cases first


def test_reallocation_moves_cases_and_their_tasks_records_it_and_tells_the_new_holder(
    team, login, django_capture_on_commit_callbacks
) -> None:
    north, supervisor, alice, bob, elsewhere = team
    first, second, kept = _case(north, alice), _case(north, alice), _case(north, alice)
    task = ReminderFactory(case=first, assignee=alice, kind=ReminderKind.PERPETRATOR_VISIT_DUE, due_on=TODAY)
    client = login(supervisor)
    url = f"/team/people/{alice.public_id}/"
    missing = client.post(url, {"action": "reallocate", "case": [str(first.public_id)], "field": "spoc", "reason": ""})
    assert "Give a reason" in missing.content.decode() and "checked" in missing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            url,
            {
                "action": "reallocate",
                "case": [str(first.public_id), str(second.public_id)],
                "field": "spoc",
                "to_user": bob.pk,
                "reason": "Alice moves to the South team",
            },
        )
    assert done.status_code == 302
    for record in (first, second, kept, task):
        record.refresh_from_db()
    assert (first.spoc, second.spoc, kept.spoc, task.assignee) == (bob, bob, alice, bob)
    entry = ChronologyEntry.objects.filter(case=first, kind=ChronologyKind.ALLOCATION).get()
    assert "Alice Able to Bob Baker" in entry.summary and "South team" in entry.summary
    assert mail.outbox[-1].to == ["bob@example.org"] and first.reference in mail.outbox[-1].body
    assert "South team" not in mail.outbox[-1].body and "Alice" not in mail.outbox[-1].body  # no free text, no names
    # Cases outside the supervisor's team cannot be moved, nor to someone unfit for the role.
    with pytest.raises(PermissionDeniedError, match="not in your team"):
        cases_reallocate(
            actor=supervisor,
            cases=[_case(elsewhere.area, elsewhere)],
            field="spoc",
            to_user=bob,
            reason="Not mine to move",
        )
    with pytest.raises(ApplicationError, match="cannot be a IDVA"):
        cases_reallocate(actor=supervisor, cases=[kept], field="idva", to_user=bob, reason="Wrong role for this")
    with pytest.raises(PermissionDeniedError):
        cases_reallocate(actor=alice, cases=[kept], field="spoc", to_user=bob, reason="Officers cannot do this")


def test_leave_moves_every_role_a_person_holds_in_one_action(team) -> None:
    north, supervisor, alice, bob, _ = team
    as_spoc = _case(north, alice)
    as_om = CaseFactory(area=north, spoc=bob, offender_manager=alice)
    moved = caseload_move(actor=supervisor, from_user=alice, to_user=bob, reason="Annual leave 1-14 December")
    assert len(moved.moved) == 2 and moved.conflicts == []
    as_spoc.refresh_from_db()
    as_om.refresh_from_db()
    assert as_spoc.spoc == bob and as_om.offender_manager == bob
    with pytest.raises(ApplicationError, match="no open cases"):
        caseload_move(actor=supervisor, from_user=alice, to_user=bob, reason="Annual leave again")


def test_closure_needs_a_supervisor_who_approves_or_returns_with_comments(team, login) -> None:
    north, supervisor, alice, bob, _ = team
    case = _case(north, alice)
    ReminderFactory(case=case, assignee=alice, kind=ReminderKind.PERPETRATOR_VISIT_DUE, due_on=TODAY)
    client = login(alice)
    short = client.post(f"/team/cases/{case.public_id}/close/", {"reason": "done"})
    assert "at least 10 characters" in short.content.decode() and ">done</textarea>" in short.content.decode()
    client.post(f"/team/cases/{case.public_id}/close/", {"reason": "No incidents for 12 months"})
    request = case.closure_requests.get()
    with pytest.raises(InvalidTransitionError):
        closure_request(actor=alice, case=case, reason="Asking a second time")
    with pytest.raises(PermissionDeniedError):
        closure_decide(actor=alice, request=request, approve=True, comments="")
    with pytest.raises(ApplicationError, match="what needs doing"):
        closure_decide(actor=supervisor, request=request, approve=False, comments="")
    closure_decide(actor=supervisor, request=request, approve=False, comments="Check the safety plan first")
    case.refresh_from_db()
    assert case.status != CaseStatus.CLOSED

    closure_request(actor=alice, case=case, reason="Safety plan checked, all in place")
    page = login(supervisor).get("/team/closures/").content.decode()
    assert "Safety plan checked" in page
    pending = case.closure_requests.get(status=ClosureStatus.PENDING)
    response = login(supervisor).post(
        "/team/closures/", {"request": str(pending.public_id), f"c{pending.pk}-decision": "approve"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert not Reminder.objects.filter(case=case, status=ReminderStatus.OPEN).exists()
    assert login(bob).get(f"/team/cases/{case.public_id}/close/").status_code in {403, 404}


CLOSE_LINK = "Ask a supervisor to close this case"


@pytest.mark.django_db
def test_only_the_holders_and_supervisors_may_ask_for_closure_not_everyone_who_sees_the_case(team, login) -> None:
    """One rule for the service, the form and the case page's link: an analyst sees the force's cases
    (agency scope) and a granted partner sees this one, but neither may ask for it to close."""
    north, supervisor, alice, bob, _ = team
    case = _case(north, alice)
    analyst = UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)
    housing = VictimSideAgencyFactory()
    partner = UserFactory(area=AreaFactory(agency=housing), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    grant_case_to(case, housing)
    url = f"/team/cases/{case.public_id}/close/"
    for outsider in (analyst, partner):
        client = login(outsider)
        assert CLOSE_LINK not in client.get(f"/cases/{case.public_id}/").content.decode()
        assert client.get(url).status_code == 403
        assert client.post(url, {"reason": "Analyst wants it closed"}).status_code == 403
        with pytest.raises(PermissionDeniedError):
            closure_request(actor=outsider, case=case, reason="Analyst wants it closed")
    assert not case.closure_requests.exists()
    for insider in (alice, supervisor):
        client = login(insider)
        assert CLOSE_LINK in client.get(f"/cases/{case.public_id}/").content.decode()
        assert client.get(url).status_code == 200
    done = login(alice).post(url, {"reason": "No incidents for 12 months"}, follow=True)
    page = done.content.decode()
    assert "Closure requested" in page and CLOSE_LINK not in page
    assert "A closure request is awaiting a supervisor: Alice Able asked on" in page
    assert case.closure_requests.get().requested_by == alice


@pytest.mark.django_db
def test_a_second_request_or_a_second_decision_is_told_who_acted_first(team, login) -> None:
    north, supervisor, alice, bob, _ = team
    case = CaseFactory(area=north, spoc=alice, offender_manager=bob)
    closure_request(actor=alice, case=case, reason="No incidents for 12 months")
    with pytest.raises(InvalidTransitionError, match="already awaiting a supervisor: Alice Able asked on"):
        closure_request(actor=bob, case=case, reason="No incidents for a year")
    # Bob's page was open before Alice asked: he is told, not shown an error page.
    response = login(bob).get(f"/team/cases/{case.public_id}/close/", follow=True)
    assert "already awaiting a supervisor: Alice Able asked on" in response.content.decode()

    request = case.closure_requests.get()
    other = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Olu", last_name="Other")
    stale = login(other)
    stale_page = stale.get("/team/closures/").content.decode()  # shows the request, with its form
    assert case.reference in stale_page
    closure_decide(actor=supervisor, request=request, approve=False, comments="Check the safety plan first")
    response = stale.post(
        "/team/closures/", {"request": str(request.public_id), f"c{request.pk}-decision": "approve"}, follow=True
    )
    assert response.status_code == 200  # was "Page not found"
    name = supervisor.get_full_name()
    assert f"already decided by {name} on {timezone.localdate():%-d %b %Y}" in response.content.decode()
    assert "who returned it. Nothing was changed." in response.content.decode()
    with pytest.raises(InvalidTransitionError, match=f"already decided by {name}"):
        closure_decide(actor=other, request=request, approve=True, comments="")


@pytest.mark.django_db
def test_a_reallocation_from_a_stale_page_changes_nothing_and_says_who_moved_the_case(
    team, login, django_capture_on_commit_callbacks
) -> None:
    north, supervisor, alice, bob, _ = team
    carol = UserFactory(area=north, first_name="Carol", last_name="Cole", email="carol@example.org")
    case = _case(north, alice)
    other = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Olu", last_name="Other")
    url = f"/team/people/{alice.public_id}/"
    client = login(supervisor)
    page = client.get(url).content.decode()
    seen = re.search(rf'name="seen-spoc-{case.public_id}" value="([^"]*)"', page).group(1)
    assert seen == str(alice.public_id)
    cases_reallocate(actor=other, cases=[case], field="spoc", to_user=bob, reason="Bob covers North now")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "action": "reallocate",
                "case": [str(case.public_id)],
                f"seen-spoc-{case.public_id}": seen,
                "field": "spoc",
                "to_user": carol.pk,
                "reason": "Carol takes Alice's cases",
            },
            follow=True,
        )
    case.refresh_from_db()
    assert case.spoc == bob
    assert mail.outbox == []  # Carol got nothing, so she is not told she did
    page = html.unescape(response.content.decode())
    told = f"{case.reference} was reallocated to Bob Baker as SPOC by Olu Other a moment ago; nothing changed for it."
    assert told in page and "reallocated." not in page.replace(told, "")
    result = cases_reallocate(
        actor=supervisor,
        cases=[case],
        field="spoc",
        to_user=carol,
        reason="Carol takes Alice's cases",
        seen_holders={case.pk: alice.pk},
    )
    assert result.moved == [] and result.conflicts == [told]


@pytest.mark.django_db
def test_the_closure_requests_page_is_constant_in_queries(team, login) -> None:
    north, supervisor, alice, bob, _ = team
    client = login(supervisor)

    def ask(with_blocker: bool) -> None:
        case = CaseFactory(area=north, spoc=alice)
        victim = CaseVictimFactory(case=case).victim
        closure_request(actor=alice, case=case, reason="No incidents for 12 months")
        if with_blocker:  # an application received after the request: the supervisor must see it
            application_record(
                actor=alice,
                case=case,
                route=Route.RIGHT_TO_ASK,
                person_at_risk=victim,
                applicant_name="A. Applicant",
                applicant_relationship="",
                subject_relationship="",
                received_on=TODAY,
            )

    ask(with_blocker=True)
    with CaptureQueriesContext(connection) as few:
        client.get("/team/closures/")
    for n in range(6):
        ask(with_blocker=n % 2 == 0)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/team/closures/").content.decode()
    assert len(many) == len(few)
    assert page.count("This case cannot close yet") == 4
