"""The one way a page reaches a protective order: fetch, decide, log, in one call (cases/http.py
explains the pattern)."""

import uuid

from django.http import HttpRequest

from cases.http import Can, case_record_for
from cases.models import Case
from dacrre.audit.access import Shown

from .models import ProtectiveOrder


def _protected(order: ProtectiveOrder) -> list[Shown]:
    """The victims and children the order protects, kept as `order.protected_shown`."""
    victims = list(order.protected_victims.select_related("person"))
    children = list(order.protected_children.select_related("person"))
    order.protected_shown = [*victims, *children]  # type: ignore[attr-defined]
    return [Shown("Victim", victim.person) for victim in victims] + [Shown("Child", child.person) for child in children]


def order_for(
    request: HttpRequest,
    case_id: uuid.UUID | str,
    public_id: uuid.UUID | str,
    *,
    what: str,
    can: Can = None,
    writing: bool = False,
    people: bool = False,
) -> tuple[Case, ProtectiveOrder]:
    """The case and its order for the page `what`, logged as the order; with `people`, the victims
    and children it protects (as `order.protected_shown`), each logged as shown."""
    return case_record_for(
        request,
        case_id,
        public_id,
        lambda case: ProtectiveOrder.objects.filter(case=case),
        what=what,
        can=can,
        writing=writing,
        missing="Order not found.",
        shown=_protected if people else None,
    )
