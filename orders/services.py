import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cases.access.rules import can_record_order
from cases.models import Case, ChronologyKind
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from reminders.models import ReminderKind
from reminders.services import reminders_close
from victims.models import Child, Victim

from .law import OrderTerms, notice_followed, terms_checked
from .models import OrderBreach, OrderKind, ProtectiveOrder

NOTIFYING_KINDS = {OrderKind.DAPO, OrderKind.STALKING_PROTECTION, OrderKind.INTERIM_STALKING_PROTECTION}


@dataclass(frozen=True)
class OrderDetails:
    """What only some kinds carry: a restraining order's route; a DAPO's requirements."""

    route: str = ""
    positive_requirements: str = ""
    electronic_monitoring: bool = False
    notification_requirements: bool = False

    def fields(self, kind: str) -> dict[str, object]:
        dapo = kind == OrderKind.DAPO
        return {
            "route": self.route if kind == OrderKind.RESTRAINING else "",
            "positive_requirements": self.positive_requirements.strip() if dapo else "",
            "electronic_monitoring": self.electronic_monitoring and dapo,
            # The subject of every DAPO and SPO must notify the police of their name and address within
            # 3 days (Domestic Abuse Act 2021 s.39; Stalking Protection Act 2019 s.9).
            "notification_requirements": kind in NOTIFYING_KINDS,
        }


def _check(actor: User, case: Case) -> None:
    case_require_open(case)
    if not can_record_order(actor, case):
        raise PermissionDeniedError("Only officers of the owning force record orders and conditions.")


def _validate(
    case: Case,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    conditions: str,
    victims: Iterable[Victim],
    children: Iterable[Child],
) -> None:
    dates.ORDER_STARTS.check(starts_on, field="starts_on")
    dates.ORDER_ENDS.check(ends_on, field="ends_on")
    if ends_on is not None and ends_on < starts_on:
        raise ApplicationError("The end date must be the same as or after the start date", field="ends_on")
    if not conditions.strip():
        raise ApplicationError("Enter the conditions", field="conditions")
    case_victims = set(case.victims.values_list("pk", flat=True))
    case_children = set(case.children.values_list("pk", flat=True))
    if any(v.pk not in case_victims for v in victims) or any(c.pk not in case_children for c in children):
        raise ApplicationError("Protected persons must be people in this case", field="protected_victims")


@transaction.atomic
def order_record(
    *,
    actor: User,
    case: Case,
    kind: OrderKind | str,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    conditions: str,
    reference: str = "",
    protected_victims: Iterable[Victim] = (),
    protected_children: Iterable[Child] = (),
    starts_time: datetime.time | None = None,
    ends_time: datetime.time | None = None,
    details: OrderDetails | None = None,
) -> ProtectiveOrder:
    _check(actor, case)
    protected_victims, protected_children = list(protected_victims), list(protected_children)
    _validate(case, starts_on, ends_on, conditions, protected_victims, protected_children)
    details = details or OrderDetails()
    terms = terms_checked(
        OrderTerms(str(kind), starts_on, starts_time, ends_on, ends_time, details.route),
        notice=notice_followed(case.pk, str(kind), starts_on),
    )
    order = ProtectiveOrder(
        case=case,
        kind=kind,
        reference=reference.strip(),
        starts_on=starts_on,
        starts_time=terms.starts_time,
        ends_on=terms.ends_on,
        ends_time=terms.ends_time,
        conditions=conditions.strip(),
        recorded_by=actor,
        **details.fields(str(kind)),
    )
    order._history_user = actor  # type: ignore[attr-defined]
    order.save()
    order.protected_victims.set(protected_victims)
    order.protected_children.set(protected_children)
    ends = f" until {order.ends_at_text}" if order.ends_on else ""
    chronology_record(
        case=case,
        kind=ChronologyKind.ORDER,
        actor=actor,
        summary=f"{order.get_kind_display()} from {starts_on:%d %b %Y}{ends}: {order.conditions}",
    )
    return order


@transaction.atomic
def order_update(
    *,
    actor: User,
    order: ProtectiveOrder,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    conditions: str,
    reference: str,
    protected_victims: Iterable[Victim],
    protected_children: Iterable[Child],
    starts_time: datetime.time | None = None,
    ends_time: datetime.time | None = None,
    details: OrderDetails | None = None,
) -> ProtectiveOrder:
    """A variation: new dates or conditions, on the record with what changed. The law's limits
    apply to the varied terms as to new ones."""
    _check(actor, order.case)
    protected_victims, protected_children = list(protected_victims), list(protected_children)
    _validate(order.case, starts_on, ends_on, conditions, protected_victims, protected_children)
    details = details or OrderDetails(route=order.route)
    terms = terms_checked(
        OrderTerms(order.kind, starts_on, starts_time, ends_on, ends_time, details.route),
        notice=notice_followed(order.case_id, order.kind, starts_on),
    )
    starts_time, ends_on, ends_time = terms.starts_time, terms.ends_on, terms.ends_time
    changes = []
    end_changed = (ends_on, ends_time) != (order.ends_on, order.ends_time)
    if end_changed:
        changes.append(f"end date {order.ends_on or 'none'} → {ends_on or 'none'}")
    if conditions.strip() != order.conditions:
        changes.append("conditions varied")
    order.starts_on, order.ends_on = starts_on, ends_on
    order.starts_time, order.ends_time = starts_time, ends_time
    order.conditions, order.reference = conditions.strip(), reference.strip()
    for name, value in details.fields(order.kind).items():
        setattr(order, name, value)
    order._history_user = actor  # type: ignore[attr-defined]
    if end_changed:
        # A new end date: reminders about the old one no longer apply (the sweep raises new ones).
        reminders_close(
            case=order.case,
            kinds=[ReminderKind.ORDER_ENDS_IN_7_DAYS, ReminderKind.ORDER_ENDS_TOMORROW],
            subject_key=f"order:{order.pk}",
        )
    order.save()
    order.protected_victims.set(protected_victims)
    order.protected_children.set(protected_children)
    chronology_record(
        case=order.case,
        kind=ChronologyKind.ORDER,
        actor=actor,
        summary=f"{order.get_kind_display()} varied: {', '.join(changes) or 'details updated'}.",
    )
    return order


@transaction.atomic
def order_breach_record(
    *, actor: User, order: ProtectiveOrder, occurred_on: datetime.date, details: str, action_taken: str
) -> OrderBreach:
    _check(actor, order.case)
    if occurred_on > timezone.localdate():
        raise ApplicationError("The breach date cannot be in the future", field="occurred_on")
    dates.ORDER_BREACH.check(occurred_on, field="occurred_on")
    if occurred_on < order.starts_on:
        raise ApplicationError("The breach date must be on or after the order started", field="occurred_on")
    if not details.strip():
        raise ApplicationError("Describe the breach", field="details")
    if not action_taken.strip():
        raise ApplicationError("Enter the action taken", field="action_taken")
    breach = OrderBreach.objects.create(
        order=order,
        occurred_on=occurred_on,
        details=details.strip(),
        action_taken=action_taken.strip(),
        recorded_by=actor,
    )
    chronology_record(
        case=order.case,
        kind=ChronologyKind.ORDER,
        actor=actor,
        summary=f"Breach of {order.get_kind_display()} on {occurred_on:%d %b %Y}: {breach.details} "
        f"Action: {breach.action_taken}",
    )
    return breach
