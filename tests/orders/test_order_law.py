"""Orders as the law has them: each kind's statutory limits refused with a message saying what the
law allows and by when."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dacrre.core.exceptions import ApplicationError
from orders.models import OrderKind
from orders.services import OrderDetails, order_record
from tests.factories import CaseFactory, CaseVictimFactory, UserFactory

TODAY = timezone.localdate


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    CaseVictimFactory(case=case)
    return officer, case


def _record(officer, case, kind, starts_on, ends_on=None, **extra):
    return order_record(
        actor=officer,
        case=case,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        conditions="Not to contact the victim",
        **extra,
    )


@pytest.mark.django_db
def test_a_dvpn_lasts_48_hours_and_its_dvpo_is_heard_within_them_for_14_to_28_days(officer_case) -> None:
    officer, case = officer_case
    served_on = TODAY() - datetime.timedelta(days=3)
    with pytest.raises(ApplicationError, match="Enter the time the notice was served"):
        _record(officer, case, OrderKind.DVPN, served_on)
    with pytest.raises(ApplicationError, match="lasts at most 48 hours: it must end by"):
        _record(
            officer,
            case,
            OrderKind.DVPN,
            served_on,
            served_on + datetime.timedelta(days=3),
            starts_time=datetime.time(14, 0),
        )
    notice = _record(officer, case, OrderKind.DVPN, served_on, starts_time=datetime.time(14, 0))
    assert (notice.ends_on, notice.ends_time) == (served_on + datetime.timedelta(days=2), datetime.time(14, 0))

    late_hearing = served_on + datetime.timedelta(days=3)
    with pytest.raises(ApplicationError, match="heard within 48 hours of the notice being served"):
        _record(officer, case, OrderKind.DVPO, late_hearing, late_hearing + datetime.timedelta(days=28))
    heard = served_on + datetime.timedelta(days=1)
    with pytest.raises(ApplicationError, match="lasts from 14 to 28 days"):
        _record(officer, case, OrderKind.DVPO, heard, heard + datetime.timedelta(days=10))
    with pytest.raises(ApplicationError, match="lasts from 14 to 28 days"):
        _record(officer, case, OrderKind.DVPO, heard, heard + datetime.timedelta(days=29))
    order = _record(officer, case, OrderKind.DVPO, heard, heard + datetime.timedelta(days=28))
    assert order.kind == OrderKind.DVPO


@pytest.mark.django_db
def test_restraining_orders_say_how_they_were_made_and_bail_ends_at_a_time(officer_case) -> None:
    officer, case = officer_case
    with pytest.raises(ApplicationError, match="Choose how the restraining order was made"):
        _record(officer, case, OrderKind.RESTRAINING, TODAY())
    order = _record(officer, case, OrderKind.RESTRAINING, TODAY(), details=OrderDetails(route="acquittal"))
    assert order.get_route_display() == "On acquittal"
    bail = _record(
        officer, case, OrderKind.BAIL, TODAY(), TODAY() + datetime.timedelta(days=21), ends_time=datetime.time(9, 0)
    )
    assert "at 09:00" in bail.ends_at_text


@pytest.mark.django_db
def test_dapn_and_dapo_only_in_the_pilot_with_their_requirements(officer_case, login, settings) -> None:
    officer, case = officer_case
    settings.DAPO_PILOT = False
    with pytest.raises(ApplicationError, match="for forces in the pilot"):
        _record(officer, case, OrderKind.DAPO, TODAY())
    client = login(officer)
    form = client.get(reverse("orders:new", args=[case.public_id])).content.decode()
    assert "Domestic abuse protection order" not in form and "Positive requirements" not in form
    settings.DAPO_PILOT = True
    form = client.get(reverse("orders:new", args=[case.public_id])).content.decode()
    assert "Domestic abuse protection order (DAPO)" in form and "Positive requirements" in form
    response = client.post(
        reverse("orders:new", args=[case.public_id]),
        {
            "kind": OrderKind.DAPO,
            "starts_on": TODAY().strftime("%d/%m/%Y"),
            "conditions": "Not to enter Elm Close",
            "positive_requirements": "Attend a behaviour-change programme",
            "electronic_monitoring": "on",
        },
    )
    assert response.status_code == 302
    order = case.orders.get(kind=OrderKind.DAPO)
    assert order.electronic_monitoring and order.notification_requirements
    page = client.get(reverse("orders:detail", args=[case.public_id, order.public_id])).content.decode()
    assert "Attend a behaviour-change programme" in page and "name and address within 3 days" in page


@pytest.mark.django_db
def test_a_bad_time_is_said_and_what_was_typed_is_kept(officer_case, login) -> None:
    officer, case = officer_case
    response = login(officer).post(
        reverse("orders:new", args=[case.public_id]),
        {
            "kind": OrderKind.DVPN,
            "starts_on": TODAY().strftime("%d/%m/%Y"),
            "starts_time": "25:99",
            "conditions": "Not to return home for 48 hours",
        },
    )
    page = response.content.decode()
    assert "Enter the time on the 24-hour clock, like 14:30" in page and "Not to return home for 48 hours" in page
