"""Target-hardening equipment, as the people who use it: an officer keeps the register and fits a
doorbell at a victim's home; an IDVA sees what her client has; probation never learns any of it."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessLog
from dacrre.core.exceptions import ConflictError
from equipment.models import EquipmentItem, Fund, ItemStatus
from equipment.selectors import stock_per_fund
from equipment.services import issue_return, item_add, item_issue
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)

TODAY = timezone.localdate
ADDRESS_NOTE = "Front door of 14 Larch Close"


@pytest.fixture
def world(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    fund = Fund.objects.create(agency=case.owning_agency, name="Perpetrator intervention fund", created_by=officer)
    return officer, case, victim, fund


def _add(officer, fund, number: str, cost: str = "100") -> EquipmentItem:
    return item_add(
        actor=officer,
        kind="video_doorbell",
        asset_number=number,
        fund=fund,
        cost=Decimal(cost),
        bought_on=TODAY() - datetime.timedelta(days=5),
    )


def _member(agency, role):
    return UserFactory(area=AreaFactory(agency=agency), agency=agency, role=role, scope=Scope.AGENCY)


@pytest.mark.django_db
def test_an_officer_fits_a_doorbell_and_only_victim_side_users_with_her_address_see_where(world, login) -> None:
    officer, case, victim, fund = world
    item = _add(officer, fund, "VD-1")
    client = login(officer)
    response = client.post(
        reverse("equipment:issue_new", args=[case.public_id]),
        {
            "item": str(item.public_id),
            "victim": str(victim.public_id),
            "issued_on": TODAY().strftime("%d/%m/%Y"),
            "installed_at": ADDRESS_NOTE,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Equipment issued." in page and ADDRESS_NOTE in page

    idva_with_contact = _member(IdvaAgencyFactory(), Role.IDVA)
    grant_case_to(case, idva_with_contact.agency, shares_victim_contact=True)
    idva_without_contact = _member(IdvaAgencyFactory(), Role.IDVA)
    grant_case_to(case, idva_without_contact.agency, shares_victim_contact=False)
    probation = _member(ProbationAgencyFactory(), Role.PARTNER_CASEWORKER)
    grant_case_to(case, probation.agency)

    case_url = reverse("cases:detail", args=[case.public_id])
    seen = login(idva_with_contact).get(case_url).content.decode()
    assert "Video doorbell VD-1" in seen and ADDRESS_NOTE in seen
    partial = login(idva_without_contact).get(case_url).content.decode()
    assert "Video doorbell VD-1" in partial and ADDRESS_NOTE not in partial
    issue = item.issues.get()
    detail = login(idva_without_contact).get(reverse("equipment:issue", args=[case.public_id, issue.public_id]))
    assert detail.status_code == 200 and ADDRESS_NOTE not in detail.content.decode()
    assert "Record a return" not in detail.content.decode()  # no change offered without the address
    perpetrator_side = login(probation).get(case_url).content.decode()
    assert "Target-hardening equipment" not in perpetrator_side and "VD-1" not in perpetrator_side
    assert login(probation).get(reverse("equipment:issue", args=[case.public_id, issue.public_id])).status_code == 403
    assert AccessLog.objects.filter(object_type="equipment issue", object_id=str(issue.public_id)).exists()


@pytest.mark.django_db
def test_one_item_goes_to_one_victim_and_the_second_issuer_is_told(world, login) -> None:
    officer, case, victim, fund = world
    item = _add(officer, fund, "PA-2")
    item_issue(actor=officer, case=case, item=item, victim=victim, issued_on=TODAY())
    with pytest.raises(ConflictError, match="no longer in store"):
        item_issue(actor=officer, case=case, item=item, victim=victim, issued_on=TODAY())
    other = CaseFactory(area=officer.area, spoc=officer)
    other_victim = CaseVictimFactory(case=other).victim
    response = login(officer).post(
        reverse("equipment:issue_new", args=[other.public_id]),
        {"item": str(item.public_id), "victim": str(other_victim.public_id), "issued_on": "31/02/2026"},
    )
    assert response.status_code == 200  # the item is no longer offered, and the bad date is said
    assert "Enter the date as day/month/year" in response.content.decode() or "valid" in response.content.decode()


@pytest.mark.django_db
def test_stock_and_spend_per_fund_follow_issues_returns_and_write_offs(world, login) -> None:
    officer, case, victim, fund = world
    other_fund = Fund.objects.create(agency=officer.agency, name="Force budget", created_by=officer)
    first, second = _add(officer, fund, "A-1", "129.99"), _add(officer, fund, "A-2", "70.01")
    _add(officer, other_fund, "B-1", "25")
    issue = item_issue(actor=officer, case=case, item=first, victim=victim, issued_on=TODAY())
    issue_return(actor=officer, issue=issue, returned_on=TODAY(), reason="Moved away", write_off=True)
    item_issue(actor=officer, case=case, item=second, victim=victim, issued_on=TODAY())
    figures = {row.fund: row for row in stock_per_fund(officer.agency_id)}
    main = figures["Perpetrator intervention fund"]
    assert (main.bought, main.spend, main.issued, main.in_store, main.returned, main.written_off) == (
        2,
        Decimal("200.00"),
        1,
        0,
        1,
        1,
    )
    budget = figures["Force budget"]
    assert (budget.bought, budget.spend, budget.in_store, budget.returned) == (1, Decimal("25.00"), 1, 0)
    assert EquipmentItem.objects.get(pk=first.pk).status == ItemStatus.WRITTEN_OFF
    page = login(officer).get(reverse("equipment:register")).content.decode()
    assert "£200.00" in page and f"Issued on case {case.reference}" in page
    assert victim.person.full_name not in page  # the register names cases, never victims


@pytest.mark.django_db
def test_the_register_is_for_victim_side_casework_and_costs_the_same_for_many_items(world, login) -> None:
    officer, case, victim, fund = world
    client = login(officer)
    item_issue(actor=officer, case=case, item=_add(officer, fund, "FIRST"), victim=victim, issued_on=TODAY())
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("equipment:register")).status_code == 200
    for n in range(8):
        item = _add(officer, fund, f"N-{n}")
        if n % 2:
            item_issue(actor=officer, case=case, item=item, victim=victim, issued_on=TODAY())
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("equipment:register"))
    assert response.status_code == 200 and "N-7" in response.content.decode()
    assert len(many) == len(few)
    probation = _member(ProbationAgencyFactory(), Role.PARTNER_CASEWORKER)
    assert login(probation).get(reverse("equipment:register")).status_code == 403
    analyst = UserFactory(area=officer.area, role=Role.ANALYST, scope=Scope.AGENCY)
    assert login(analyst).get(reverse("equipment:register")).status_code == 403


@pytest.mark.django_db
def test_a_bad_cost_keeps_what_was_typed_and_a_closed_case_takes_no_new_equipment(world, login) -> None:
    officer, case, victim, fund = world
    client = login(officer)
    response = client.post(
        reverse("equipment:item_new"),
        {"kind": "dash_camera", "asset_number": "DC-KEEP", "fund": str(fund.public_id), "cost": "-4"},
    )
    page = response.content.decode()
    assert "The cost cannot be negative" in page and "DC-KEEP" in page
    type(case).objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=timezone.now())
    closed = client.get(reverse("equipment:issue_new", args=[case.public_id]))
    assert closed.status_code == 302 and closed["Location"] == reverse("cases:detail", args=[case.public_id])


@pytest.mark.django_db
def test_a_fund_or_asset_number_added_twice_at_once_is_refused_by_the_constraint_not_a_crash(
    world, monkeypatch
) -> None:
    """The check before the insert can pass for both of two people at once; the unique constraint
    then refuses the second, and the service says so like the check does."""
    from equipment import services

    officer, _case, _victim, fund = world
    _add(officer, fund, "RACE-1")
    monkeypatch.setattr(services.Fund.objects, "filter", lambda **kw: services.Fund.objects.none())
    with pytest.raises(ConflictError, match="already has a fund called Perpetrator intervention fund"):
        services.fund_create(actor=officer, name="Perpetrator intervention fund")
