import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dacrre.accounts.models import Role
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from orders.models import OrderKind, ProtectiveOrder
from orders.selectors import orders_ending_within
from orders.services import order_breach_record, order_record, order_update
from tests.factories import AreaFactory, CaseFactory, CaseVictimFactory, ProbationAgencyFactory, UserFactory


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    return officer, case, CaseVictimFactory(case=case).victim


def _order(officer, case, days_left=30, **kwargs):
    today = timezone.localdate()
    return order_record(
        actor=officer,
        case=case,
        kind=OrderKind.BAIL,
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=days_left),
        conditions="No contact",
        **kwargs,
    )


@pytest.mark.django_db
def test_order_rules_variation_and_breach(officer_case) -> None:
    officer, case, victim = officer_case
    today = timezone.localdate()
    with pytest.raises(ApplicationError, match="end date must be the same as or after"):
        order_record(
            actor=officer,
            case=case,
            kind=OrderKind.DVPO,
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
            conditions="x",
        )
    with pytest.raises(ApplicationError, match="people in this case"):
        _order(officer, case, protected_victims=[CaseVictimFactory().victim])
    order = _order(officer, case, protected_victims=[victim])
    assert list(order.protected_victims.all()) == [victim]
    order_update(
        actor=officer,
        order=order,
        starts_on=order.starts_on,
        ends_on=today + datetime.timedelta(days=60),
        conditions="No contact; exclusion zone",
        reference="",
        protected_victims=[victim],
        protected_children=[],
    )
    assert case.chronology.filter(summary__contains="varied: end date").exists()
    with pytest.raises(ApplicationError, match="cannot be in the future"):
        order_breach_record(
            actor=officer, order=order, occurred_on=today + datetime.timedelta(days=1), details="x", action_taken="y"
        )
    breach = order_breach_record(
        actor=officer, order=order, occurred_on=today, details="Seen outside her house", action_taken="Arrested"
    )
    assert breach.order == order
    probation = UserFactory(area=AreaFactory(agency=ProbationAgencyFactory()), role=Role.PARTNER_CASEWORKER)
    with pytest.raises(PermissionDeniedError):
        _order(probation, case)


@pytest.mark.django_db
def test_orders_ending_within_a_window(officer_case) -> None:
    officer, case, _ = officer_case
    soon, later = _order(officer, case, days_left=7), _order(officer, case, days_left=40)
    tomorrow = _order(officer, case, days_left=1)
    ended = _order(officer, case, days_left=-1)
    assert set(orders_ending_within(7)) == {soon, tomorrow}
    assert set(orders_ending_within(1)) == {tomorrow}
    assert ended not in orders_ending_within(7)
    assert later not in orders_ending_within(14)


@pytest.mark.django_db
def test_case_page_warns_of_an_order_ending_soon(officer_case, login) -> None:
    officer, case, _ = officer_case
    _order(officer, case, days_left=3)
    html = login(officer).get(f"/cases/{case.public_id}/").content.decode()
    assert "Ends in 3 days" in html


@pytest.mark.django_db
def test_pages_record_and_keep_text_on_error(officer_case, login) -> None:
    officer, case, victim = officer_case
    client = login(officer)
    bad = client.post(
        f"/cases/{case.public_id}/orders/new/",
        {
            "kind": OrderKind.RESTRAINING,
            "starts_on": "1/11/2026",
            "ends_on": "1/10/2026",
            "conditions": "Not to enter Elm Close",
        },
    )
    assert "end date must be the same as or after" in bad.content.decode()
    assert "Not to enter Elm Close" in bad.content.decode()
    ok = client.post(
        f"/cases/{case.public_id}/orders/new/",
        {
            "kind": OrderKind.RESTRAINING,
            "starts_on": "1/11/2026",
            "ends_on": "1/11/2027",
            "conditions": "Not to enter Elm Close",
            "route": "conviction",
            "protected_victims": [victim.pk],
        },
    )
    assert ok.status_code == 302
    order = ProtectiveOrder.objects.get()
    breach = client.post(
        f"/cases/{case.public_id}/orders/{order.public_id}/",
        {
            "occurred_on": timezone.localdate().strftime("%d/%m/%Y"),
            "details": "Drove past",
            "action_taken": "Arrest",
        },
    )
    assert breach.status_code == 302
    assert order.breaches.count() == 1


@pytest.mark.django_db
def test_case_page_queries_constant_as_orders_grow(officer_case, login) -> None:
    officer, case, _ = officer_case
    client = login(officer)
    _order(officer, case)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.public_id}/")
    for days in range(6):
        _order(officer, case, days_left=days)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/cases/{case.public_id}/")
    assert len(many) == len(few)
