"""The auditors' review of break-glass accesses (under /audit/, beside the access log)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dacrre.audit.access import Shown, rows_listed
from dacrre.core.exceptions import ApplicationError
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from .forms import BreakGlassReviewForm
from .models import BreakGlassAccess
from .selectors import break_glass_awaiting_review
from .services import break_glass_review


def _review_form(access: BreakGlassAccess, data: object = None) -> BreakGlassReviewForm:
    # One form per access on the page: the prefix keeps every field id unique.
    return BreakGlassReviewForm(data, prefix=f"review-{access.pk}")  # type: ignore[arg-type]


def _awaiting(request: AuthenticatedHttpRequest) -> list[BreakGlassAccess]:
    """The accesses awaiting review (403 for anyone but an auditor), logged as listed."""
    accesses: list[BreakGlassAccess] = (
        attempt(request, lambda: list(break_glass_awaiting_review(request.user))).value or []
    )
    rows_listed(
        request,
        page="break-glass reviews",
        detail=f"{len(accesses)} awaiting review",
        shown=[Shown("Perpetrator", access.case.perpetrator.person, access.case.reference) for access in accesses],
    )
    return accesses


@login_required
def break_glass_reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    accesses = _awaiting(request)
    items = [(access, _review_form(access)) for access in accesses]
    return render(request, "audit/break_glass_reviews.html", {"items": items})


@login_required
@form_view
@require_POST
def break_glass_review_submit(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    accesses = _awaiting(request)
    access = next((a for a in accesses if str(a.public_id) == str(public_id)), None)
    if access is None:
        raise Http404("No break-glass access awaiting review with that id.")
    form = _review_form(access, request.POST)
    if form.is_valid():
        try:
            break_glass_review(auditor=request.user, access=access, note=form.cleaned_data["note"])
        except ApplicationError as exc:  # said beside the note, where the auditor typed
            form.add_error("note", exc.message)
        else:
            messages.success(request, f"Break-glass access to {access.case.reference} marked as reviewed.")
            return redirect("audit:break_glass_reviews")
    items = [(a, form if a.pk == access.pk else _review_form(a)) for a in accesses]
    return render(request, "audit/break_glass_reviews.html", {"items": items, "form": form}, status=400)
