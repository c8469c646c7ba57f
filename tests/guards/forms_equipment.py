"""Equipment register forms in the every-form guard (tests/guards/test_every_form.py)."""

import datetime
from decimal import Decimal

from django.urls import reverse

from equipment.models import EquipmentEvidence, EquipmentItem, Fund, ItemStatus
from tests.guards.test_every_form import TODAY, Submission, World, case_page, day, form


def _item(w: World) -> EquipmentItem:
    fund = Fund.objects.create(agency=w.police, name="Perpetrator intervention fund", created_by=w.officer)
    return EquipmentItem.objects.create(
        agency=w.police,
        kind="video_doorbell",
        asset_number="VD-0001",
        fund=fund,
        cost=Decimal("129.99"),
        bought_on=TODAY() - datetime.timedelta(days=30),
        added_by=w.officer,
    )


def _issue(w: World):
    from equipment.services import item_issue

    return item_issue(actor=w.officer, case=w.case, item=_item(w), victim=w.victim, issued_on=TODAY())


@form("equipment:fund_new")
def _fund_new(w: World) -> Submission:
    return Submission(
        user=w.officer,
        url=reverse("equipment:fund_new"),
        data={"name": "Home Office perpetrator fund"},
        redirect=reverse("equipment:register"),
        message="Fund added.",
        check=lambda _: Fund.objects.filter(agency=w.police, name="Home Office perpetrator fund").exists(),
    )


@form("equipment:item_new")
def _item_new(w: World) -> Submission:
    fund = Fund.objects.create(agency=w.police, name="Force budget", created_by=w.officer)
    return Submission(
        user=w.officer,
        url=reverse("equipment:item_new"),
        data={"kind": "dash_camera", "asset_number": "DC-17", "fund": str(fund.public_id), "cost": "89.50"}
        | {"bought_on": day(-3)},
        redirect=reverse("equipment:register"),
        message="Item added to the register.",
        check=lambda _: EquipmentItem.objects.get(asset_number="DC-17").cost == Decimal("89.50"),
    )


@form("equipment:issue_new")
def _issue_new(w: World) -> Submission:
    item = _item(w)
    return Submission(
        user=w.officer,
        url=reverse("equipment:issue_new", args=[w.case.public_id]),
        data={"item": str(item.public_id), "victim": str(w.victim.public_id), "issued_on": day(0)},
        redirect=case_page(w),
        message="Equipment issued.",
        check=lambda _: EquipmentItem.objects.get(pk=item.pk).status == ItemStatus.ISSUED,
    )


@form("equipment:issue")
def _evidence(w: World) -> Submission:
    issue = _issue(w)
    url = reverse("equipment:issue", args=[w.case.public_id, issue.public_id])
    return Submission(
        user=w.officer,
        url=url,
        data={"obtained_on": day(0), "description": "Doorbell footage of him at the door at 02:10."},
        redirect=url,
        message="Evidence noted.",
        check=lambda _: EquipmentEvidence.objects.filter(issue=issue).count() == 1,
    )


@form("equipment:return")
def _return(w: World) -> Submission:
    issue = _issue(w)
    return Submission(
        user=w.officer,
        url=reverse("equipment:return", args=[w.case.public_id, issue.public_id]),
        data={"returned_on": day(0), "reason": "Moved to a refuge.", "condition": "Good"},
        redirect=reverse("equipment:issue", args=[w.case.public_id, issue.public_id]),
        message="back in store",
        check=lambda _: EquipmentItem.objects.get(pk=issue.item_id).status == ItemStatus.IN_STORE,
    )
