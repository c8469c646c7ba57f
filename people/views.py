import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from dacrre.audit.access import rows_listed
from dacrre.audit.exports import FORMATS, export_response
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from .forms import KEEP_APART, KEEP_FIRST, DuplicateDecisionForm
from .http import duplicate_for, pair_shown, reviewer_required
from .merging import duplicate_keep_apart, duplicate_merge
from .models import CandidateStatus, DuplicateCandidate, Person
from .selectors import duplicate_candidates_for, people_with_involvement


@login_required
def duplicates(request: AuthenticatedHttpRequest) -> HttpResponse:
    reviewer_required(request)
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
    rows_listed(
        request,
        page="duplicate queue",
        detail=f"{status}, page {page.number}, {len(page.object_list)} pairs listed",
        shown=[person for pair in page.object_list for person in pair_shown(pair)],
    )
    return render(
        request,
        "people/duplicates.html",
        {"page": page, "status": status, "statuses": CandidateStatus.choices},
    )


def _decided(request: AuthenticatedHttpRequest, candidate: DuplicateCandidate, keep: Person | None, reason: str) -> str:
    """Keep the pair apart (no `keep`) or merge it into `keep`; what to tell the reviewer."""
    if keep is None:
        duplicate_keep_apart(actor=request.user, candidate=candidate, note=reason)
        return "Kept apart: the records stay as two people."
    duplicate_merge(actor=request.user, candidate=candidate, keep=keep, reason=reason)
    return f"Merged into {keep.full_name}. An administrator can reverse this if it was wrong."


@login_required
@form_view
def duplicate_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    candidate = duplicate_for(request, public_id, what="Possible duplicate page")
    people = people_with_involvement([candidate.first_id, candidate.second_id])
    first, second = people[candidate.first_id], people[candidate.second_id]
    form = DuplicateDecisionForm(
        request.POST or None,
        first_label=f"record A ({first.full_name})",
        second_label=f"record B ({second.full_name})",
    )
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        keep = first if decision == KEEP_FIRST else second
        decided = attempt(
            request,
            lambda: _decided(request, candidate, None if decision == KEEP_APART else keep, reason),
            form=form,
            success=lambda said: said,
        )
        if decided:
            return redirect("people:duplicates")
    return render(
        request,
        "people/duplicate_detail.html",
        {"candidate": candidate, "first": first, "second": second, "form": form},
    )
