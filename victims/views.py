import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from dacrre.core.http import AuthenticatedHttpRequest

from .http import victim_confidential_shown, victim_for


@login_required
def victim_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    victim = victim_for(request, public_id, what="Victim page", cases=True)
    confidential = victim_confidential_shown(request, victim)
    return render(
        request,
        "victims/victim_detail.html",
        {
            "victim": victim,
            "person": victim.person,
            "confidential": confidential,
            "cases": victim.cases_shown,  # type: ignore[attr-defined]
        },
    )
