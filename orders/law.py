"""The statutory limits of each kind of order, checked by the services with a message that says
what the law allows and by when.

- A domestic violence protection notice (DVPN, Crime and Security Act 2010 s.24) lasts at most 48
  hours from service, and the application for the order must be heard within those 48 hours
  (s.27); a domestic violence protection order (DVPO, s.28) lasts from 14 to 28 days.
- A domestic abuse protection notice (DAPN, Domestic Abuse Act 2021 s.22) likewise lasts 48 hours
  and the application for the order is heard within them; a domestic abuse protection order (DAPO,
  s.32) may carry positive requirements and electronic monitoring, and its subject must notify the
  police of their name and address (s.39). They are offered where the force is in the pilot
  (setting DAPO_PILOT).
- A restraining order records its route: on conviction, on acquittal, or at the family court.
- Bail conditions carry their end date and, when known, the time: their end is a risk moment (the
  protection gap), so the form asks for both.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from dacrre.core.exceptions import ApplicationError

from .models import OrderKind, ProtectiveOrder

NOTICE_HOURS = 48
DVPO_MIN_DAYS, DVPO_MAX_DAYS = 14, 28
NOTICES = {OrderKind.DVPN: OrderKind.DVPO, OrderKind.DAPN: OrderKind.DAPO}
PILOT_KINDS = {OrderKind.DAPN, OrderKind.DAPO}


def kinds_offered() -> list[tuple[str, str]]:
    """The kinds of order a force records: DAPN and DAPO only in the pilot."""
    return [(kind.value, kind.label) for kind in OrderKind if settings.DAPO_PILOT or kind not in PILOT_KINDS]


@dataclass(frozen=True)
class OrderTerms:
    kind: str
    starts_on: datetime.date
    starts_time: datetime.time | None
    ends_on: datetime.date | None
    ends_time: datetime.time | None
    route: str = ""


def _moment(day: datetime.date, time: datetime.time | None) -> datetime.datetime:
    """A day without a time lasts to its end."""
    return datetime.datetime.combine(day, time or datetime.time(23, 59))


def _said(moment: datetime.datetime) -> str:
    return f"{moment:%-d %b %Y} at {moment:%H:%M}"


def terms_checked(terms: OrderTerms, *, notice: ProtectiveOrder | None = None) -> OrderTerms:
    """The terms as the law allows them, or the reason they are refused. A notice with no end is
    given its 48 hours; `notice` is the notice an order's hearing follows, if any."""
    kind = terms.kind
    if kind in PILOT_KINDS and not settings.DAPO_PILOT:
        raise ApplicationError("Domestic abuse protection notices and orders are for forces in the pilot", field="kind")
    if kind in NOTICES:
        return _notice_terms(terms)
    if kind in (OrderKind.DVPO, OrderKind.DAPO) and notice is not None:
        _heard_in_time(terms, notice)
    if kind == OrderKind.DVPO:
        _dvpo_length(terms)
    if kind == OrderKind.RESTRAINING and not terms.route:
        raise ApplicationError("Choose how the restraining order was made", field="route")
    return terms


def _notice_terms(terms: OrderTerms) -> OrderTerms:
    if terms.starts_time is None:
        raise ApplicationError("Enter the time the notice was served", field="starts_time")
    served = datetime.datetime.combine(terms.starts_on, terms.starts_time)
    latest = served + datetime.timedelta(hours=NOTICE_HOURS)
    if terms.ends_on is None:
        return OrderTerms(terms.kind, terms.starts_on, terms.starts_time, latest.date(), latest.time(), terms.route)
    if _moment(terms.ends_on, terms.ends_time) > latest:
        raise ApplicationError(
            f"A notice lasts at most {NOTICE_HOURS} hours: it must end by {_said(latest)}", field="ends_on"
        )
    return terms


def _heard_in_time(terms: OrderTerms, notice: ProtectiveOrder) -> None:
    served = datetime.datetime.combine(notice.starts_on, notice.starts_time or datetime.time.min)
    deadline = served + datetime.timedelta(hours=NOTICE_HOURS)
    late = (
        datetime.datetime.combine(terms.starts_on, terms.starts_time) > deadline
        if terms.starts_time is not None
        else terms.starts_on > deadline.date()
    )
    if late:
        raise ApplicationError(
            f"The application must be heard within {NOTICE_HOURS} hours of the notice being served "
            f"(served {_said(served)}, so heard by {_said(deadline)})",
            field="starts_on",
        )


def _dvpo_length(terms: OrderTerms) -> None:
    shortest = terms.starts_on + datetime.timedelta(days=DVPO_MIN_DAYS)
    longest = terms.starts_on + datetime.timedelta(days=DVPO_MAX_DAYS)
    if terms.ends_on is None or not shortest <= terms.ends_on <= longest:
        raise ApplicationError(
            f"A DVPO lasts from {DVPO_MIN_DAYS} to {DVPO_MAX_DAYS} days: "
            f"it must end between {shortest:%-d %b %Y} and {longest:%-d %b %Y}",
            field="ends_on",
        )


def notice_followed(case_id: int, kind: str, starts_on: datetime.date) -> ProtectiveOrder | None:
    """The notice a DVPO or DAPO hearing follows: the latest of its kind served on the case in the
    week before the hearing."""
    notice_kind = next((notice for notice, order in NOTICES.items() if order == kind), None)
    if notice_kind is None:
        return None
    return (
        ProtectiveOrder.objects.filter(
            case_id=case_id,
            kind=notice_kind,
            starts_on__lte=starts_on,
            starts_on__gte=starts_on - datetime.timedelta(days=7),
        )
        .order_by("-starts_on", "-starts_time")
        .first()
    )


def ended(order: ProtectiveOrder, now: datetime.datetime | None = None) -> bool:
    if order.ends_on is None:
        return False
    now = timezone.localtime(now or timezone.now()).replace(tzinfo=None)
    return _moment(order.ends_on, order.ends_time) < now
