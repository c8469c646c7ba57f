import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from dacrre.core.exceptions import NotFoundError

from .selectors import case_get_for, case_list_annotated, caseload_for, cases_visible_to, chronology_for


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    cases = list(caseload_for(request.user))  # type: ignore[arg-type]
    return render(request, "cases/caseload.html", {"cases": cases})


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    queryset = case_list_annotated(cases_visible_to(request.user)).order_by("reference")  # type: ignore[arg-type]
    search = request.GET.get("q", "").strip()
    if search:
        queryset = queryset.filter(reference__icontains=search) | queryset.filter(
            perpetrator__person__family_name__icontains=search
        )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "cases/case_list.html", {"page": page, "search": search})


@login_required
def case_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        case = case_get_for(request.user, public_id)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    victims = case.case_victims.select_related("victim__person").order_by("victim__person__family_name")
    children = case.case_children.select_related("child__person").order_by("child__person__family_name")
    context = {
        "case": case,
        "case_victims": list(victims),
        "case_children": list(children),
        "chronology": list(chronology_for(request.user, case)[:200]),  # type: ignore[arg-type]
    }
    return render(request, "cases/case_detail.html", context)
