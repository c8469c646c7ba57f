"""Team caseload, reallocation, leave moves and closure approval."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import CaseStatus, ChronologyEntry, ChronologyKind, RiskLevel
from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from dacrre.reminders.models import Reminder, ReminderKind, ReminderStatus
from oversight.models import ClosureStatus
from oversight.selectors import team_caseload
from oversight.services import caseload_move, cases_reallocate, closure_decide, closure_request
from tests.factories import AreaFactory, CaseFactory, OperationFactory, ReminderFactory, UserFactory

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
        rows = {u.username: u for u in team_caseload(supervisor)}
    assert len(queries) == 1
    assert elsewhere.username not in rows  # another area
    a = rows[alice.username]
    assert (a.open_cases, a.high_risk_cases, a.overdue_visits, a.overdue_reviews) == (2, 1, 1, 1)
    assert rows[bob.username].open_cases == 0
    only_op = {u.username: u.open_cases for u in team_caseload(supervisor, operation_id=operation.pk)}
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
    first.refresh_from_db(), second.refresh_from_db(), kept.refresh_from_db(), task.refresh_from_db()
    assert (first.spoc, second.spoc, kept.spoc, task.assignee) == (bob, bob, alice, bob)
    entry = ChronologyEntry.objects.filter(case=first, kind=ChronologyKind.ALLOCATION).get()
    assert "Alice Able to Bob Baker" in entry.summary and "South team" in entry.summary
    assert mail.outbox[-1].to == ["bob@example.org"] and first.reference in mail.outbox[-1].body
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
    as_spoc.refresh_from_db(), as_om.refresh_from_db()
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
