import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from cases.selectors import case_list_annotated, cases_visible_to
from dacrre.core.http import AuthenticatedHttpRequest

from .http import perpetrator_for
from .panels import perpetrator_panels_for


@login_required
def perpetrator_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    perpetrator = perpetrator_for(request, public_id, what="Perpetrator page", incidents=True)
    cases = list(case_list_annotated(cases_visible_to(request.user).filter(perpetrator=perpetrator)))
    return render(
        request,
        "perpetrators/perpetrator_detail.html",
        {
            "perpetrator": perpetrator,
            "person": perpetrator.person,
            "cases": cases,
            "incidents": perpetrator.incidents_shown,  # type: ignore[attr-defined]
            "panels": perpetrator_panels_for(request.user, perpetrator),
        },
    )
