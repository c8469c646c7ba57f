"""The access log's one entry point for pages, downloads, API views and jobs.

Pages never write access-log rows themselves. A record is reached through its kind's fetcher
(`case_for`, `victim_for`, `perpetrator_for`, `document_for`, `referral_for`...), which fetches it,
decides, and calls `record_access` here before anything of it is shown; a list or search calls
`rows_listed`. Both also write one row per person the page shows besides its subject (`Shown`), so
that "who looked at this victim?" finds every page that named them.

The ground floor knows no domain model: a record describes itself for the log with an
`access_subject()` method returning an `AccessSubject`.
"""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from dacrre.accounts.models import User
from dacrre.accounts.predicates import can as may
from dacrre.core.exceptions import NotFoundError

from .models import AccessAction
from .services import access_log_people_rows, access_log_row, access_log_write


@dataclass(frozen=True)
class AccessSubject:
    """What a log row says the access was to: the kind of record, its id and label, its case, and the
    person it is about (any object with `public_id` and `full_name`)."""

    object_type: str
    object_id: object
    label: str
    case_reference: str = ""
    person: Any = None

    @classmethod
    def on_case(cls, object_type: str, record: Any, case: "Describable", person: Any = None) -> "AccessSubject":
        """A record that belongs to a case (a visit, an order...): labelled by its `str`, under the
        case's reference, about `person` (the case's own subject, its perpetrator, by default)."""
        about = case.access_subject()
        return cls(
            object_type=object_type,
            object_id=record.public_id,
            label=str(record),
            case_reference=about.case_reference,
            person=person if person is not None else about.person,
        )


class Describable(Protocol):
    def access_subject(self) -> AccessSubject: ...


@dataclass(frozen=True)
class Shown:
    """A person a page names besides its subject: their role on the page ("Victim", "Child",
    "Perpetrator") and, on list pages, the case they are listed under."""

    role: str
    person: Any
    case_reference: str = ""

    def as_row(self) -> tuple[Any, ...]:
        return (self.role, self.person, self.case_reference) if self.case_reference else (self.role, self.person)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def record_access(
    request: HttpRequest,
    record: AccessSubject | Describable,
    *,
    action: AccessAction | str = AccessAction.VIEW,
    what: str = "",
    detail: str = "",
    reason: str = "",
    flagged_for_review: bool = False,
    shown: Iterable[Shown] = (),
) -> None:
    """One row for the record (labelled `what` when the page is one view of it, such as "Document
    download"), then one per person shown. Written in the request: if it fails, nothing is shown."""
    subject = record if isinstance(record, AccessSubject) else record.access_subject()
    person = subject.person
    user = _user(request)
    row = access_log_row(
        user=user,
        action=action,
        request=request,
        object_type=subject.object_type,
        object_id=subject.object_id,
        object_label=f"{what}: {subject.label}" if what else subject.label,
        case_reference=subject.case_reference,
        person_id=person.public_id if person is not None else "",
        person_label=person.full_name if person is not None else "",
        detail=detail,
        reason=reason,
        flagged_for_review=flagged_for_review,
    )
    people = access_log_people_rows(
        user=user,
        request=request,
        page=subject.label,
        people=[item.as_row() for item in shown],
        action=action,
        object_id=subject.object_id,
        case_reference=subject.case_reference,
    )
    access_log_write([row, *people])  # one INSERT: the page's one write


R = TypeVar("R", bound=Describable)


def record_for(
    request: HttpRequest,
    get: Callable[[User, Any], R],
    public_id: uuid.UUID | str,
    *,
    what: str,
    can: str | None = None,
    refused: str = "",
    of: Callable[[R], object] | None = None,
    action: AccessAction | str = AccessAction.VIEW,
    shown: Callable[[R], Iterable[Shown]] | None = None,
) -> R:
    """A kind's fetcher in one call, for a record its app's selector `get(user, public_id)` finds
    among those the user sees (raising NotFoundError otherwise: a 404, the same for missing and
    hidden): 403 with `refused` unless the predicate `can` holds for it (or for `of(record)`, the
    record the rule is about: an agenda item's meeting), then the log row for the
    page `what`, and one per person `shown(record)` names."""
    user = _user(request)
    try:
        record = get(user, public_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if can is not None and not may(user, can, of(record) if of else record):
        raise PermissionDenied(refused or "You cannot do this.")
    record_access(request, record, action=action, what=what, shown=shown(record) if shown else ())
    return record


def rows_listed(
    request: HttpRequest,
    *,
    page: str,
    detail: str = "",
    shown: Iterable[Shown] = (),
    action: AccessAction | str = AccessAction.LIST,
    reason: str = "",
) -> None:
    """A list, search or export: one row saying what was listed (`detail`: the search, the page
    number, how many rows), then one per person the rows name; in one INSERT."""
    user = _user(request)
    row = access_log_row(user=user, action=action, request=request, object_type=page, detail=detail, reason=reason)
    people = access_log_people_rows(
        user=user, request=request, page=page, people=[item.as_row() for item in shown], action=action
    )
    access_log_write([row, *people])
