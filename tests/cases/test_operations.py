import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Operation
from dacrre.accounts.models import Role, Scope
from tests.factories import AreaFactory, CaseFactory, OperationFactory, UserFactory


@pytest.fixture
def world(db):
    north = AreaFactory(name="North")
    south = AreaFactory(agency=north.agency, name="South")
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    officer = UserFactory(area=north)
    other = UserFactory(area=AreaFactory(), role=Role.SUPERVISOR, scope=Scope.AGENCY)
    operation = OperationFactory(lead_agency=north.agency, name="Op County")
    return {
        "north": north,
        "south": south,
        "supervisor": supervisor,
        "officer": officer,
        "other": other,
        "op": operation,
    }


def test_a_supervisor_sets_up_an_operation_with_areas(world, login) -> None:
    client = login(world["supervisor"])
    assert "Op County" in client.get(reverse("cases:operations")).content.decode()
    response = client.post(
        reverse("cases:operation_new"),
        {"name": "Op Mistletoe", "starts_on": "1/12/2026", "ends_on": "6/1/2027", "areas": [str(world["south"].pk)]},
    )
    operation = Operation.objects.get(name="Op Mistletoe")
    assert response["Location"] == reverse("cases:operation_detail", args=[operation.public_id])
    assert list(operation.areas.all()) == [world["south"]] and operation.ends_on == datetime.date(2027, 1, 6)
    assert operation.lead_agency == world["north"].agency


def test_the_end_must_follow_the_start_and_names_are_unique(world, login) -> None:
    client = login(world["supervisor"])
    response = client.post(
        reverse("cases:operation_new"), {"name": "Op X", "starts_on": "1/12/2026", "ends_on": "1/11/2026"}
    )
    assert "The end date must be on or after the start date" in response.content.decode()
    response = client.post(reverse("cases:operation_new"), {"name": "op county", "starts_on": "1/12/2026"})
    assert "already an operation with this name" in response.content.decode()
    assert Operation.objects.count() == 1


def test_changing_an_operation(world, login) -> None:
    client = login(world["supervisor"])
    url = reverse("cases:operation_edit", args=[world["op"].public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, {"name": "Op County 2026", "starts_on": "1/1/2026", "ends_on": "31/12/2026"})
    assert response.status_code == 302
    world["op"].refresh_from_db()
    assert world["op"].name == "Op County 2026" and not world["op"].is_active
    assert world["op"].history.first().history_user == world["supervisor"]


def test_only_the_lead_forces_supervisors(world, login) -> None:
    officer = login(world["officer"])
    for url in (reverse("cases:operations"), reverse("cases:operation_new")):
        assert officer.get(url).status_code == 403
    other = login(world["other"])
    assert other.get(reverse("cases:operations")).status_code == 200
    assert "Op County" not in other.get(reverse("cases:operations")).content.decode()
    assert other.get(reverse("cases:operation_detail", args=[world["op"].public_id])).status_code == 404
    assert other.get(reverse("cases:operation_edit", args=[world["op"].public_id])).status_code == 404


def test_the_cases_in_an_operation_queries_constant(world, login) -> None:
    client = login(world["supervisor"])
    url = reverse("cases:operation_detail", args=[world["op"].public_id])
    CaseFactory(area=world["north"], operation=world["op"])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    cases = [CaseFactory(area=world["north"], operation=world["op"]) for _ in range(5)]
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert all(case.reference in html for case in cases)
    assert len(many) == len(few)


def test_a_case_of_the_force_is_added_to_an_operation(world, login) -> None:
    case = CaseFactory(area=world["north"])
    client = login(world["supervisor"])
    url = reverse("cases:operation_add_case", args=[world["op"].public_id])
    response = client.post(url, {"case_reference": case.reference.lower()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.operation == world["op"] and case.chronology.filter(kind="allocation").exists()
    assert "already in this operation" in client.post(url, {"case_reference": case.reference}).content.decode()
    elsewhere = CaseFactory()  # another force's case answers as one that does not exist
    assert "No case of your force" in client.post(url, {"case_reference": elsewhere.reference}).content.decode()
    assert login(world["officer"]).post(url, {"case_reference": case.reference}).status_code == 403
