"""Daily tasking of the month's top-N list, as the people who do it: the inspector takes ownership
of entries and tasks an officer each day; the officer sees today's tasking and records the result;
the list's page shows who was not tasked today, and the month's review shows the activity per entry
and the perpetrators' incidents since listing, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus
from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ConflictError
from scoring.models import DailyTasking, TaskingEntry, TaskingKind, TaskingResult, TaskingSnapshot
from scoring.selectors import tasking_activity
from scoring.services import tasking_assign, tasking_result_record
from tests.factories import AreaFactory, CaseFactory, IncidentFactory, PerpetratorFactory, UserFactory

TODAY = timezone.localdate


@pytest.fixture
def force(db):
    north = AreaFactory(name="North")
    inspector = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Ines", last_name="Pector")
    deputy = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Dee", last_name="Puty")
    officer = UserFactory(area=north, first_name="Oscar", last_name="Officer")
    snapshot = TaskingSnapshot.objects.create(
        agency=north.agency, area=north, month=TODAY().replace(day=1), top_n=2, taken_by=inspector
    )
    snapshot.taken_at = timezone.now() - datetime.timedelta(days=5)
    snapshot.save(update_fields=["taken_at"])
    first, second = PerpetratorFactory(), PerpetratorFactory()
    case = CaseFactory(area=north, perpetrator=first, spoc=officer)
    CaseFactory(area=north, perpetrator=first, status=CaseStatus.CLOSED, closed_at=timezone.now())
    for rank, perpetrator in enumerate([first, second], start=1):
        TaskingEntry.objects.create(
            snapshot=snapshot, perpetrator=perpetrator, rank=rank, total=100 - rank, frequency=3, gravity=20, victims=1
        )
    return north, inspector, deputy, officer, snapshot, case


def _entry(snapshot, rank):
    return snapshot.entries.get(rank=rank)


def test_the_inspector_owns_entries_and_tasks_an_officer_who_records_the_result(force, login) -> None:
    north, inspector, deputy, officer, snapshot, case = force
    client = login(inspector)
    list_url = reverse("scoring:tasking_detail", args=[snapshot.public_id])
    page = client.get(list_url).content.decode()
    assert page.count("Not tasked today") == 2
    response = client.post(
        reverse("scoring:tasking_inspectors", args=[snapshot.public_id]),
        {"inspector-1": str(inspector.public_id), "was-1": "", "inspector-2": "", "was-2": ""},
    )
    assert response.status_code == 302 and _entry(snapshot, 1).inspector == inspector
    # A second supervisor's page still showed no inspector: their save is refused, not silently applied.
    stale = client.post(
        reverse("scoring:tasking_inspectors", args=[snapshot.public_id]),
        {"inspector-1": str(deputy.public_id), "was-1": ""},
        follow=True,
    ).content.decode()
    assert "Someone else changed the inspector" in stale and _entry(snapshot, 1).inspector == inspector
    assert "My top-N entries" in client.get(reverse("scoring:my_tasking")).content.decode()

    entry = _entry(snapshot, 1)
    entry_url = reverse("scoring:tasking_entry", args=[snapshot.public_id, entry.perpetrator.public_id])
    assert "Task an officer today" in client.get(entry_url).content.decode()
    response = client.post(entry_url, {"officer": str(officer.public_id), "kind": "bail_check", "instructions": "6pm"})
    assert response.status_code == 302
    tasking = DailyTasking.objects.get()
    assert (tasking.officer, tasking.kind, tasking.case, tasking.tasked_on) == (officer, "bail_check", case, TODAY())
    page = client.get(list_url).content.decode()
    assert page.count("Not tasked today") == 1 and "Tasked (1)" in page

    client = login(officer)
    mine = client.get(reverse("scoring:my_tasking")).content.decode()
    result_url = reverse("scoring:tasking_result", args=[tasking.public_id])
    assert "Bail check: 6pm" in mine and result_url in mine and case.reference in mine
    assert client.post(result_url, {"result": "compliant", "notes": "In at 18:05"}).status_code == 302
    tasking.refresh_from_db()
    assert (tasking.result, tasking.result_notes) == ("compliant", "In at 18:05")
    assert tasking.result_recorded_at is not None
    # Officers do not read the scores' pages; another officer cannot open someone else's tasking.
    assert client.get(entry_url).status_code == 403
    assert login(UserFactory(area=north)).get(result_url).status_code == 404
    other_force = UserFactory(area=AreaFactory(), role=Role.SUPERVISOR, scope=Scope.AGENCY)
    assert login(other_force).get(result_url).status_code == 404


def test_tasking_twice_and_recording_twice_are_refused(force) -> None:
    _north, inspector, _deputy, officer, snapshot, _case = force
    entry = _entry(snapshot, 2)
    tasking = tasking_assign(actor=inspector, entry=entry, officer=officer, kind=TaskingKind.PATROL)
    assert tasking.case is None  # the second perpetrator has no open case
    with pytest.raises(ConflictError, match="already tasked"):
        tasking_assign(actor=inspector, entry=entry, officer=officer, kind=TaskingKind.PATROL)
    tasking_result_record(actor=officer, tasking=tasking, result=TaskingResult.NOT_FOUND)
    with pytest.raises(ConflictError, match="already recorded"):
        tasking_result_record(actor=officer, tasking=tasking, result=TaskingResult.SEEN)


def test_the_review_shows_activity_per_entry_and_incidents_since_listing_in_fixed_queries(force, login) -> None:
    north, inspector, _deputy, officer, snapshot, _case = force
    first, second = _entry(snapshot, 1), _entry(snapshot, 2)
    colleague = UserFactory(area=north)
    for who, kind in [(officer, TaskingKind.PATROL), (colleague, TaskingKind.PATROL), (officer, TaskingKind.WARRANT)]:
        tasking_assign(actor=inspector, entry=first, officer=who, kind=kind)
    done = DailyTasking.objects.filter(kind=TaskingKind.WARRANT).get()
    tasking_result_record(actor=officer, tasking=done, result=TaskingResult.ARRESTED)
    # Since the list was saved (5 days ago): 2 incidents by the first, 1 by the second; one before.
    for perpetrator, days_ago in [(first.perpetrator, 1), (first.perpetrator, 3), (second.perpetrator, 2)]:
        IncidentFactory(
            perpetrator=perpetrator, area=north, occurred_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
    IncidentFactory(perpetrator=first.perpetrator, area=north, occurred_at=timezone.now() - datetime.timedelta(days=9))
    IncidentFactory(perpetrator=first.perpetrator, area=AreaFactory(), occurred_at=timezone.now())  # another force

    activity = tasking_activity(snapshot, TODAY())
    assert activity[first.pk].by_kind == {"Patrol": 2, "Warrant": 1}
    assert activity[first.pk].by_result == {"Arrested": 1}
    assert (activity[first.pk].awaiting_result, activity[first.pk].today, activity[first.pk].incidents_since) == (
        2,
        3,
        2,
    )
    assert (activity[second.pk].by_kind, activity[second.pk].today, activity[second.pk].incidents_since) == ({}, 0, 1)

    client = login(inspector)
    url = reverse("scoring:tasking_detail", args=[snapshot.public_id])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for rank in range(3, 13):
        perpetrator = PerpetratorFactory()
        entry = TaskingEntry.objects.create(
            snapshot=snapshot, perpetrator=perpetrator, rank=rank, total=50, frequency=1, gravity=1, victims=1
        )
        tasking_assign(actor=inspector, entry=entry, officer=officer, kind=TaskingKind.TARGETING)
        IncidentFactory(perpetrator=perpetrator, area=north, occurred_at=timezone.now())
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "Targeting the perpetrator: 1" in page
