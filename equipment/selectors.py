"""Reads of the equipment register, in a fixed number of queries whatever the number of items."""

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from cases.models import Case
from cases.selectors import cases_visible_to
from dacrre.accounts.models import User
from dacrre.accounts.predicates import require

from .models import EquipmentIssue, EquipmentItem, Fund, ItemStatus


def register_agency_id(user: User) -> int:
    """The agency whose register the user keeps; 403 for a user who keeps none."""
    require(user, "equipment.manage_register")
    return cast(int, user.agency_id)


def register_for(user: User) -> QuerySet[EquipmentItem]:
    """The user's agency's items, each with its open issue (case reference only: the register names
    no victim and no address)."""
    open_issues = EquipmentIssue.objects.filter(returned_on__isnull=True).select_related("case")
    return (
        EquipmentItem.objects.filter(agency_id=register_agency_id(user))
        .select_related("fund")
        .prefetch_related(Prefetch("issues", queryset=open_issues, to_attr="open_issues"))
    )


def cases_seen_among(user: User, items: list[EquipmentItem]) -> set[int]:
    """Of the cases the items are issued on, those the user sees: the register links to those and
    names no other (a colleague in another area may hold the rest). One query."""
    ids = {issue.case_id for item in items for issue in item.open_issues}  # type: ignore[attr-defined]
    return set(cases_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def funds_for(user: User) -> QuerySet[Fund]:
    return Fund.objects.filter(agency_id=register_agency_id(user))


@dataclass(frozen=True)
class FundStock:
    fund: str
    bought: int
    spend: Decimal
    issued: int
    in_store: int
    returned: int
    written_off: int


def stock_per_fund(agency_id: int) -> list[FundStock]:
    """Per fund: items bought and what they cost, how many are with victims, in store, written off,
    and how many times items have come back. Two queries."""
    rows = (
        Fund.objects.filter(agency_id=agency_id)
        .annotate(
            bought=Count("items", distinct=True),
            spend=Sum("items__cost", distinct=False, filter=Q(items__isnull=False)),
            issued=Count("items", filter=Q(items__status=ItemStatus.ISSUED), distinct=True),
            in_store=Count("items", filter=Q(items__status=ItemStatus.IN_STORE), distinct=True),
            written_off=Count("items", filter=Q(items__status=ItemStatus.WRITTEN_OFF), distinct=True),
        )
        .order_by("name")
    )
    returned = dict(
        Fund.objects.filter(agency_id=agency_id)
        .annotate(n=Count("items__issues", filter=Q(items__issues__returned_on__isnull=False)))
        .values_list("pk", "n")
    )
    return [
        FundStock(
            fund=row.name,
            bought=row.bought,
            spend=row.spend or Decimal("0"),
            issued=row.issued,
            in_store=row.in_store,
            returned=returned.get(row.pk, 0),
            written_off=row.written_off,
        )
        for row in rows
    ]


def issues_on_case(case: Case) -> QuerySet[EquipmentIssue]:
    return EquipmentIssue.objects.filter(case=case).select_related("item", "victim__person", "issued_by")
