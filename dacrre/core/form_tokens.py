"""Forms that save once, however often they are sent.

Every form that writes carries a hidden one-time token (`{% include "includes/form_token.html" %}`)
and its view is wrapped in `form_view`. The first POST with a token claims it in a row of
`FormSubmission`, in the same transaction as what the view saves, and records where the view sent
the user (its redirect). A second POST with the same token, a double click or the same form sent
again from the browser's history, saves nothing: it is sent to the first result with the message
"This was already saved". Two POSTs that arrive together cannot both save: the second one's claim
waits on the unique token until the first commits, then finds it.

A POST that saves nothing (the form had errors, a rule refused it, or the view sent the user back
with an error message) gives its token back, so that the corrected form can be sent again. A POST
without a token is handled as before.

`form_view` also answers a write to a case that is closed (`CaseClosedError` escaping the view) by
sending the user to the case page with the reason, instead of a form that cannot be saved.
"""

import datetime
import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from .exceptions import CaseClosedError
from .http import AuthenticatedHttpRequest
from .models import FormSubmission

FIELD = "form_token"
ALREADY_SAVED = "This was already saved: this is what was saved the first time."
# A form sent again within this time is recognised; older claims are removed as the user sends more.
KEPT_FOR = datetime.timedelta(days=7)

View = Callable[..., HttpResponse]


def form_token_new() -> str:
    return str(uuid.uuid4())


def _posted_token(request: HttpRequest) -> uuid.UUID | None:
    if request.method != "POST":
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _closed(request: HttpRequest, exc: CaseClosedError) -> HttpResponse:
    messages.warning(request, exc.message)
    if exc.case_public_id is None:
        return redirect("cases:caseload")
    return redirect("cases:detail", public_id=exc.case_public_id)


def _replay(request: AuthenticatedHttpRequest, token: uuid.UUID) -> HttpResponse:
    first = FormSubmission.objects.filter(token=token).first()
    if first is None or first.user_id != request.user.pk:
        # Tokens are random and per form: another user's token is not sent by a browser.
        raise SuspiciousOperation("A form token was sent by a user it was not given to.")
    messages.info(request, ALREADY_SAVED)
    return redirect(first.result_url)


def _errors_queued(request: HttpRequest) -> int:
    queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
    return sum(1 for message in queued if message.level >= messages.ERROR)


def _saved(request: HttpRequest, response: HttpResponse, errors_before: int = 0) -> bool:
    """A view that saved sends the user on (a redirect). A redirect that carries an error message
    (a few views send the user back with one) saved nothing."""
    moved_on = 300 <= response.status_code < 400 and response.has_header("Location")
    return moved_on and _errors_queued(request) == errors_before


def _once(view: View, request: AuthenticatedHttpRequest, token: uuid.UUID, args: Any, kwargs: Any) -> HttpResponse:
    failure: Exception | None = None
    with transaction.atomic():
        try:
            with transaction.atomic():
                claim = FormSubmission.objects.create(
                    token=token, user=request.user, path=request.path[:300], result_url=""
                )
        except IntegrityError:
            return _replay(request, token)
        FormSubmission.objects.filter(user=request.user, created_at__lt=timezone.now() - KEPT_FOR).delete()
        errors_before = _errors_queued(request)
        try:
            response = view(request, *args, **kwargs)
        except DatabaseError:
            raise  # the transaction is broken: everything, the claim included, is rolled back
        except CaseClosedError as exc:
            claim.delete()
            response = _closed(request, exc)
        except Exception as exc:  # noqa: BLE001 - re-raised below, once what the view logged is kept
            claim.delete()
            failure = exc
        else:
            if _saved(request, response, errors_before):
                claim.result_url = response["Location"][:500]
                claim.save(update_fields=["result_url"])
            else:
                claim.delete()  # nothing saved (the form is shown again): the token can be sent again
    if failure is not None:
        raise failure
    return response


def form_view(view: View) -> View:
    """Wrap every view that handles a form (see the module's text). Put it under `login_required`."""

    @functools.wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = _posted_token(request)
        if token is None:
            try:
                return view(request, *args, **kwargs)
            except CaseClosedError as exc:
                return _closed(request, exc)
        return _once(view, request, token, args, kwargs)

    wrapped.form_view = True  # type: ignore[attr-defined]
    return wrapped
