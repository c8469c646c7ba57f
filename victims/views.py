import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from cases.selectors import case_list_annotated, cases_visible_to
from dacrre.core.exceptions import NotFoundError

from .selectors import victim_confidential_for, victim_get_for


@login_required
def victim_detail(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        victim = victim_get_for(request.user, public_id)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    cases = case_list_annotated(cases_visible_to(request.user).filter(victims=victim))  # type: ignore[arg-type]
    return render(
        request,
        "victims/victim_detail.html",
        {
            "victim": victim,
            "person": victim.person,
            "confidential": victim_confidential_for(request.user, victim),  # type: ignore[arg-type]
            "cases": list(cases),
        },
    )
