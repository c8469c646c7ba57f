"""Pages' side of the application exception hierarchy: one way to call a service from a view.

`attempt` calls the service and maps what it refuses, from the same table as the API
(`exceptions.STATUS`): a record the page is about that is missing or hidden is a 404 (one the user
typed into a field is said on that field), a user who may see the record
but not do this a 403, a closed case goes back to its page with the reason (`form_view`), and any
other refusal is shown on the form's field (or at the top of the form, or as a message when the page
has no form) with everything typed kept.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .exceptions import ApplicationError, CaseClosedError, NotFoundError, PermissionDeniedError
from .forms import form_add_application_error

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What the service returned, and whether it did the work: true when it did."""

    ok: bool
    value: T | None = None
    error: ApplicationError | None = None

    def __bool__(self) -> bool:
        return self.ok


def refusal_shown(
    request: HttpRequest, exc: ApplicationError, *, form: object = None, level: int | None = messages.ERROR
) -> None:
    """Answer a refusal as the page should; returns only when it was shown on the form or as a
    message (of `level`: `messages.INFO` where a refusal only says the work was already done; None
    where the page shows it itself, from the Outcome's `error`)."""
    if isinstance(exc, CaseClosedError):
        raise exc
    if isinstance(exc, NotFoundError) and not (form is not None and exc.field):
        raise Http404(exc.message) from exc  # a record the page is about; one the user typed is a field error
    if isinstance(exc, PermissionDeniedError):
        raise PermissionDenied(exc.message) from exc
    if form is not None:
        form_add_application_error(form, exc)  # type: ignore[arg-type]
    elif level is not None:
        messages.add_message(request, level, exc.message)


def attempt(
    request: HttpRequest,
    call: Callable[[], T],
    *,
    form: object = None,
    success: str | Callable[[T], str] = "",
    refusal_level: int | None = messages.ERROR,
) -> Outcome[T]:
    """Run `call` (a service call); on success say `success` (or what `success(value)` says) and
    return its value, else show the refusal."""
    try:
        value = call()
    except ApplicationError as exc:
        refusal_shown(request, exc, form=form, level=refusal_level)
        return Outcome(ok=False, error=exc)
    said = success(value) if callable(success) else success
    if said:
        messages.success(request, said)
    return Outcome(ok=True, value=value)
