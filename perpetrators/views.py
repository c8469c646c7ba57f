import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cases.selectors import case_list_annotated, cases_visible_to
from dacrre.core.exceptions import NotFoundError

from .selectors import perpetrator_get_for


@login_required
def perpetrator_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        perpetrator = perpetrator_get_for(request.user, public_id)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    cases = case_list_annotated(cases_visible_to(request.user).filter(perpetrator=perpetrator))  # type: ignore[arg-type]
    incidents = perpetrator.incidents.select_related("area").prefetch_related("victims__person")[:100]
    return render(
        request,
        "perpetrators/perpetrator_detail.html",
        {"perpetrator": perpetrator, "person": perpetrator.person, "cases": list(cases), "incidents": list(incidents)},
    )
