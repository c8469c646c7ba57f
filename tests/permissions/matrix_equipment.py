"""Equipment pages in the permission matrix: the register is for victim-side casework leads; what a
victim was given is for victim-side users who see the case; issuing needs the victims' contact
details (it is fitted where the victim lives)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from equipment.models import EquipmentIssue, EquipmentItem, Fund
from tests.permissions.test_matrix import (
    ACTOR_SPECS,
    ACTORS,
    OWNING_CASEWORKERS,
    PERPETRATOR_SIDE_PARTNERS,
    SEE_CASE,
    VICTIM_SIDE_PARTNERS,
)

REGISTER_KEEPERS = {
    actor
    for actor, spec in ACTOR_SPECS.items()
    if spec.agency in {"force", "other_force", "idva"} and spec.role in {"officer", "supervisor", "idva"}
}


def _issue(world) -> EquipmentIssue:
    existing = EquipmentIssue.objects.filter(case=world.case).first()
    if existing is not None:
        return existing
    agency, officer = world.case.owning_agency, world.case.spoc
    fund = Fund.objects.create(agency=agency, name="Matrix fund", created_by=officer)
    item = EquipmentItem.objects.create(
        agency=agency,
        kind="personal_alarm",
        asset_number="PA-MATRIX",
        fund=fund,
        cost=Decimal("40"),
        bought_on=timezone.localdate() - datetime.timedelta(days=10),
        status="issued",
        added_by=officer,
    )
    return EquipmentIssue.objects.create(
        item=item,
        case=world.case,
        victim=world.victim,
        issued_on=timezone.localdate(),
        issued_by=officer,
        installed_at="Kitchen of the victim's home",
    )


def entries(world) -> dict:
    issue = _issue(world)
    case = world.case.public_id
    issuers = OWNING_CASEWORKERS | VICTIM_SIDE_PARTNERS
    write = {a: (200 if a in issuers else 403) if a in SEE_CASE else 404 for a in ACTORS}
    see = {a: (403 if a in PERPETRATOR_SIDE_PARTNERS else 200) if a in SEE_CASE else 404 for a in ACTORS}
    register = {a: 200 if a in REGISTER_KEEPERS else 403 for a in ACTORS}
    return {
        "equipment:register": ("get", [], register),
        "equipment:fund_new": ("get", [], register),
        "equipment:item_new": ("get", [], register),
        "equipment:issue_new": ("get", [case], write),
        "equipment:issue": ("get", [case, issue.public_id], see, write),
        "equipment:return": ("get", [case, issue.public_id], write),
    }
