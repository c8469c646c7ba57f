"""Writing the access log. Called in the request, before the response is built: if the row cannot be
written the exception propagates and the data is not shown."""

from collections.abc import Callable, Iterable
from typing import Any, ParamSpec

from django.conf import settings
from django.http import HttpRequest

from dacrre.accounts.models import User

from .models import AccessAction, AccessLog

P = ParamSpec("P")


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, for the access log and the sign-in lockout. Behind TRUSTED_PROXY_COUNT
    proxies it is the address the outermost proxy saw: X-Forwarded-For counted from the right, since
    each proxy appends the address it was called from and anything further left came from the client."""
    if request is None:
        return None
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR") or None


def access_log_row(
    *,
    user: User | None,
    action: AccessAction | str,
    request: HttpRequest | None = None,
    object_type: str = "",
    object_id: object = "",
    object_label: str = "",
    case_reference: str = "",
    person_id: object = "",
    person_label: str = "",
    detail: str = "",
    reason: str = "",
    flagged_for_review: bool = False,
    username: str = "",
) -> AccessLog:
    """An access-log row, not yet written (access_log_record writes one, access_log_write several)."""
    agency = user.agency if user is not None and user.agency_id else None
    return AccessLog(
        user=user if user is not None and user.pk else None,
        username=user.get_username() if user is not None and user.pk else username,
        agency=agency,
        agency_name=agency.name if agency else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_label=object_label[:200],
        case_reference=case_reference,
        person_id=str(person_id or ""),
        person_label=person_label[:200],
        detail=detail,
        reason=reason,
        ip_address=client_ip(request),
        path=request.get_full_path()[:500] if request is not None else "",
        flagged_for_review=flagged_for_review,
    )


def _written(build: Callable[P, AccessLog]) -> Callable[P, AccessLog]:
    def write(*args: P.args, **kwargs: P.kwargs) -> AccessLog:
        row = build(*args, **kwargs)
        row.save()
        return row

    return write


# access_log_row's arguments; the row written at once.
access_log_record = _written(access_log_row)


def access_log_people_rows(
    *,
    user: User,
    request: HttpRequest | None,
    page: str,
    people: Iterable[tuple[Any, ...]],
    action: AccessAction | str = AccessAction.VIEW,
    object_id: object = "",
    case_reference: str = "",
) -> list[AccessLog]:
    """One row per person a page or list shows besides its subject (victims and children on a case
    page, perpetrators in a list...), so that "who looked at this person?" finds every page that
    showed them. `people` holds (role, person) or (role, person, case reference) tuples; each person
    once per case. Not yet written."""
    agency = user.agency if user.agency_id else None
    ip_address, path = client_ip(request), request.get_full_path()[:500] if request is not None else ""
    seen: set[object] = set()
    rows = []
    for role, person, *on_case in people:
        reference = on_case[0] if on_case else case_reference
        if (person.pk, reference) in seen:
            continue
        seen.add((person.pk, reference))
        rows.append(
            AccessLog(
                user=user,
                username=user.get_username(),
                agency=agency,
                agency_name=agency.name if agency else "",
                action=action,
                object_type="person shown",
                object_id=str(object_id or ""),
                object_label=f"{role} {person.full_name} shown on {page}"[:200],
                case_reference=reference,
                person_id=str(person.public_id),
                person_label=person.full_name[:200],
                ip_address=ip_address,
                path=path,
            )
        )
    return rows


def access_log_write(rows: list[AccessLog]) -> None:
    """Rows written in one INSERT: a page's row and those of the people it shows are one write."""
    AccessLog.objects.bulk_create(rows)


def _all_written(build: Callable[P, list[AccessLog]]) -> Callable[P, int]:
    def write(*args: P.args, **kwargs: P.kwargs) -> int:
        rows = build(*args, **kwargs)
        access_log_write(rows)
        return len(rows)

    return write


# access_log_people_rows' arguments; the rows written in one INSERT whatever the number of people.
access_log_record_people_shown = _all_written(access_log_people_rows)
