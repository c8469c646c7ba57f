import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from dacrre.audit.exports import FORMATS, export_response
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.exceptions import ApplicationError
from dacrre.core.form_tokens import form_view
from dacrre.core.forms import form_add_application_error
from dacrre.core.http import AuthenticatedHttpRequest

from .forms import KEEP_APART, KEEP_FIRST, DuplicateDecisionForm
from .merging import duplicate_keep_apart, duplicate_merge
from .models import CandidateStatus, DuplicateCandidate
from .rules import can_review_duplicates
from .selectors import duplicate_candidates_for, people_with_involvement


def _require_reviewer(request: AuthenticatedHttpRequest) -> None:
    if not can_review_duplicates(request.user):
        raise PermissionDenied("Possible duplicates are reviewed by the force's analysts and supervisors.")


@login_required
def duplicates(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reviewer(request)
    status = request.GET.get("status", CandidateStatus.OPEN)
    if status not in CandidateStatus.values:
        status = CandidateStatus.OPEN
    pairs = duplicate_candidates_for(request.user, status=status)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows: list = [
            [p.first.full_name, p.first.date_of_birth, p.second.full_name, p.second.date_of_birth, p.reason]
            for p in pairs[:5000]
        ]
        header = ["Record A", "Born", "Record B", "Born", "Why"]
        return export_response(request, fmt=fmt, name="possible duplicates", header=header, rows=rows)
    page = Paginator(pairs, 50).get_page(request.GET.get("page"))
    access_log_record(user=request.user, action=AccessAction.LIST, request=request, object_type="duplicate queue")
    return render(
        request,
        "people/duplicates.html",
        {"page": page, "status": status, "statuses": CandidateStatus.choices},
    )


@login_required
@form_view
def duplicate_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _require_reviewer(request)
    assert request.user.agency_id is not None  # noqa: S101 - reviewers belong to a force
    candidate = (
        DuplicateCandidate.objects.filter(public_id=public_id, agency_id=request.user.agency_id)
        .select_related("first", "second", "decided_by")
        .first()
    )
    if candidate is None:
        raise Http404("No such pair.")
    people = people_with_involvement([candidate.first_id, candidate.second_id])
    first, second = people[candidate.first_id], people[candidate.second_id]
    form = DuplicateDecisionForm(
        request.POST or None,
        first_label=f"record A ({first.full_name})",
        second_label=f"record B ({second.full_name})",
    )
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == KEEP_APART:
                duplicate_keep_apart(actor=request.user, candidate=candidate, note=reason)
                messages.success(request, "Kept apart: the records stay as two people.")
            else:
                keep = first if decision == KEEP_FIRST else second
                duplicate_merge(actor=request.user, candidate=candidate, keep=keep, reason=reason)
                messages.success(
                    request, f"Merged into {keep.full_name}. An administrator can reverse this if it was wrong."
                )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            return redirect("people:duplicates")
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="possible duplicate",
        object_id=candidate.public_id,
        object_label=f"{first.full_name} / {second.full_name}",
    )
    return render(
        request,
        "people/duplicate_detail.html",
        {"candidate": candidate, "first": first, "second": second, "form": form},
    )
