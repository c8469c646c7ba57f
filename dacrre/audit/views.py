from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.access.models import BreakGlassAccess
from cases.access.services import break_glass_review
from dacrre.core.csv_export import csv_response
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest

from .forms import AccessLogSearchForm, BreakGlassReviewForm
from .models import AccessAction
from .selectors import access_logs_search, break_glass_awaiting_review
from .services import access_log_record

EXPORT_LIMIT = 50_000


@login_required
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = AccessLogSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    try:
        logs = access_logs_search(request.user, filters)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    searched = ", ".join(f"{key}={value}" for key, value in filters.items() if value)
    if request.GET.get("format") == "csv" and not form.errors:
        access_log_record(
            user=request.user, action=AccessAction.EXPORT, request=request, object_type="access log", detail=searched
        )
        rows = (
            (
                timezone.localtime(log.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                log.username,
                log.agency_name,
                log.get_action_display(),
                log.object_label,
                log.case_reference,
                log.person_label,
                log.reason,
                log.ip_address,
                log.path,
                "yes" if log.flagged_for_review else "",
            )
            for log in logs[:EXPORT_LIMIT]
        )
        header = [
            "When",
            "User",
            "Agency",
            "Action",
            "Record",
            "Case",
            "Person",
            "Reason",
            "IP address",
            "Page",
            "Flagged",
        ]
        return csv_response(filename="access-log.csv", header=header, rows=rows)
    access_log_record(
        user=request.user, action=AccessAction.LIST, request=request, object_type="access log", detail=searched
    )
    page = Paginator(logs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/access_log.html", {"form": form, "page": page, "query": query.urlencode()})


def _review_form(access: BreakGlassAccess, data: object = None) -> BreakGlassReviewForm:
    # One form per access on the page: the prefix keeps every field id unique.
    return BreakGlassReviewForm(data, prefix=f"review-{access.pk}")  # type: ignore[arg-type]


@login_required
def break_glass_reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    try:
        accesses = list(break_glass_awaiting_review(request.user))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    items = [(access, _review_form(access)) for access in accesses]
    return render(request, "audit/break_glass_reviews.html", {"items": items})


@login_required
@form_view
@require_POST
def break_glass_review_submit(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    try:
        accesses = list(break_glass_awaiting_review(request.user))
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    access = next((a for a in accesses if str(a.public_id) == str(public_id)), None)
    if access is None:
        raise Http404("No break-glass access awaiting review with that id.")
    form = _review_form(access, request.POST)
    if form.is_valid():
        try:
            break_glass_review(auditor=request.user, access=access, note=form.cleaned_data["note"])
        except ApplicationError as exc:
            form.add_error("note", exc.message)
        else:
            messages.success(request, f"Break-glass access to {access.case.reference} marked as reviewed.")
            return redirect("audit:break_glass_reviews")
    items = [(a, form if a.pk == access.pk else _review_form(a)) for a in accesses]
    return render(request, "audit/break_glass_reviews.html", {"items": items, "form": form}, status=400)
