"""Writes to the equipment register. Each checks the rule (rules.py) again: a crafted POST or a
script gets the same answer as the page."""

import datetime
from decimal import Decimal

from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, ChronologyKind, ChronologyVisibility
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from victims.models import Victim

from .models import EquipmentEvidence, EquipmentIssue, EquipmentItem, EquipmentKind, Fund, ItemStatus
from .rules import can_issue_equipment, can_manage_register

MAX_COST = Decimal("100000")


def _require_register(actor: User) -> int:
    """The actor's agency, whose register they keep."""
    if not can_manage_register(actor) or actor.agency_id is None:
        raise PermissionDeniedError("Equipment registers are kept by officers, supervisors and IDVAs.")
    return actor.agency_id


@transaction.atomic
def fund_create(*, actor: User, name: str) -> Fund:
    agency_id = _require_register(actor)
    name = " ".join(name.split())
    if not name:
        raise ApplicationError("Enter the name of the fund", field="name")
    if Fund.objects.filter(agency_id=agency_id, name__iexact=name).exists():
        raise ApplicationError(f"Your agency already has a fund called {name}", field="name")
    try:
        with transaction.atomic():  # two people adding the same fund at once: the constraint decides
            return Fund.objects.create(agency_id=agency_id, name=name, created_by=actor)
    except IntegrityError as exc:
        raise ConflictError(f"Your agency already has a fund called {name}", field="name") from exc


@transaction.atomic
def item_add(
    *,
    actor: User,
    kind: EquipmentKind | str,
    asset_number: str,
    fund: Fund,
    cost: Decimal,
    bought_on: datetime.date,
    description: str = "",
) -> EquipmentItem:
    _require_register(actor)
    if fund.agency_id != actor.agency_id:
        raise ApplicationError("Choose one of your agency's funds", field="fund")
    asset_number = asset_number.strip()
    if not asset_number:
        raise ApplicationError("Enter the serial or asset number", field="asset_number")
    if cost < 0 or cost > MAX_COST:
        raise ApplicationError(f"Enter a cost between £0 and £{MAX_COST:,.0f}", field="cost")
    dates.EQUIPMENT_BOUGHT.check(bought_on, field="bought_on")
    if EquipmentItem.objects.filter(agency_id=actor.agency_id, asset_number__iexact=asset_number).exists():
        raise ApplicationError(f"Asset number {asset_number} is already on your register", field="asset_number")
    item = EquipmentItem(
        agency_id=actor.agency_id,
        kind=kind,
        asset_number=asset_number,
        description=description.strip(),
        fund=fund,
        cost=cost,
        bought_on=bought_on,
        added_by=actor,
    )
    item._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():  # the same asset number added twice at once: the constraint decides
            item.save()
    except IntegrityError as exc:
        raise ConflictError(f"Asset number {asset_number} is already on your register", field="asset_number") from exc
    return item


def _check_issue_dates(issued_on: datetime.date, installed_on: datetime.date | None) -> None:
    dates.EQUIPMENT_ISSUED.check(issued_on, field="issued_on")
    if issued_on > timezone.localdate():
        raise ApplicationError("The date issued cannot be in the future", field="issued_on")
    if installed_on is not None:
        dates.EQUIPMENT_ISSUED.check(installed_on, field="installed_on")
        if installed_on < issued_on:
            raise ApplicationError("The installation date must be on or after the date issued", field="installed_on")


@transaction.atomic
def item_issue(
    *,
    actor: User,
    case: Case,
    item: EquipmentItem,
    victim: Victim,
    issued_on: datetime.date,
    installed_on: datetime.date | None = None,
    installed_at: str = "",
    safety_measure_id: int | None = None,
) -> EquipmentIssue:
    """Give an item in store to a victim on the case. The item's row is locked: two people issuing
    the same item at once, one gets it and the other is told."""
    case_require_open(case)
    if not can_issue_equipment(actor, case):
        raise PermissionDeniedError("You cannot issue equipment on this case.")
    locked = EquipmentItem.objects.select_for_update().get(pk=item.pk)
    if locked.agency_id != actor.agency_id:
        raise ApplicationError("Choose an item from your agency's register", field="item")
    if locked.status != ItemStatus.IN_STORE:
        raise ConflictError(f"{locked} is no longer in store: someone has just issued it.", field="item")
    if not case.victims.filter(pk=victim.pk).exists():
        raise ApplicationError("Choose a victim on this case", field="victim")
    _check_issue_dates(issued_on, installed_on)
    if safety_measure_id is not None:
        measure_model = apps.get_model("safety_plans", "SafetyMeasure")
        if not measure_model.objects.filter(pk=safety_measure_id, plan__case=case, plan__victim=victim).exists():
            raise ApplicationError("Choose a measure of this victim's safety plan", field="safety_measure")
    issue = EquipmentIssue(
        item=locked,
        case=case,
        victim=victim,
        safety_measure_id=safety_measure_id,
        issued_on=issued_on,
        issued_by=actor,
        installed_on=installed_on,
        installed_at=installed_at.strip(),
    )
    issue._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            issue.save()
    except IntegrityError as exc:  # the partial unique index: an open issue exists (SQLite has no row lock)
        raise ConflictError(f"{locked} is no longer in store: someone has just issued it.", field="item") from exc
    locked.status = ItemStatus.ISSUED
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["status"])
    chronology_record(
        case=case,
        kind=ChronologyKind.NOTE,
        actor=actor,
        summary=f"{locked.get_kind_display()} issued to a victim ({locked.asset_number}).",
        visibility=ChronologyVisibility.VICTIM_SIDE,
    )
    return issue


@transaction.atomic
def issue_return(
    *,
    actor: User,
    issue: EquipmentIssue,
    returned_on: datetime.date,
    reason: str,
    condition: str = "",
    write_off: bool = False,
) -> EquipmentIssue:
    """The item comes back (or is removed, or lost): back in store, or written off."""
    locked = EquipmentIssue.objects.select_for_update().select_related("item", "case").get(pk=issue.pk)
    if not can_issue_equipment(actor, locked.case):
        raise PermissionDeniedError("You cannot change equipment on this case.")
    if locked.returned_on is not None:
        raise ConflictError(f"{locked.item} was already recorded as returned on {locked.returned_on:%d %b %Y}.")
    if not reason.strip():
        raise ApplicationError("Enter why the item was returned or removed", field="reason")
    dates.EQUIPMENT_ISSUED.check(returned_on, field="returned_on")
    if returned_on > timezone.localdate():
        raise ApplicationError("The date returned cannot be in the future", field="returned_on")
    if returned_on < locked.issued_on:
        raise ApplicationError("The date returned must be on or after the date issued", field="returned_on")
    locked.returned_on, locked.return_reason = returned_on, reason.strip()
    locked.condition_on_return = condition.strip()
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["returned_on", "return_reason", "condition_on_return"])
    item = locked.item
    item.status = ItemStatus.WRITTEN_OFF if write_off else ItemStatus.IN_STORE
    item.condition = condition.strip()
    item._history_user = actor  # type: ignore[attr-defined]
    item.save(update_fields=["status", "condition"])
    return locked


@transaction.atomic
def evidence_record(
    *,
    actor: User,
    issue: EquipmentIssue,
    obtained_on: datetime.date,
    description: str,
    incident_id: int | None = None,
    breach_id: int | None = None,
) -> EquipmentEvidence:
    case_require_open(issue.case)
    if not can_issue_equipment(actor, issue.case):
        raise PermissionDeniedError("You cannot record evidence on this case.")
    if not description.strip():
        raise ApplicationError("Describe the footage or evidence", field="description")
    dates.EQUIPMENT_ISSUED.check(obtained_on, field="obtained_on")
    if obtained_on > timezone.localdate():
        raise ApplicationError("The date cannot be in the future", field="obtained_on")
    case = issue.case
    if incident_id is not None and not case.perpetrator.incidents.filter(pk=incident_id).exists():
        raise ApplicationError("Choose one of the perpetrator's incidents", field="incident")
    if breach_id is not None:
        breach_model = apps.get_model("orders", "OrderBreach")
        if not breach_model.objects.filter(pk=breach_id, order__case=case).exists():
            raise ApplicationError("Choose a breach of an order on this case", field="breach")
    return EquipmentEvidence.objects.create(
        issue=issue,
        obtained_on=obtained_on,
        description=description.strip(),
        incident_id=incident_id,
        breach_id=breach_id,
        recorded_by=actor,
    )
