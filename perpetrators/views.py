import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from cases.selectors import case_list_annotated, cases_visible_to
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record, access_log_record_people_shown
from dacrre.core.exceptions import NotFoundError
from dacrre.core.http import AuthenticatedHttpRequest

from .panels import perpetrator_panels_for
from .selectors import incidents_with_victims_for, perpetrator_get_for


@login_required
def perpetrator_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    try:
        perpetrator = perpetrator_get_for(request.user, public_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    person = perpetrator.person
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="perpetrator",
        object_id=perpetrator.public_id,
        object_label=f"Perpetrator {person.full_name}",
        person_id=person.public_id,
        person_label=person.full_name,
    )
    cases = list(case_list_annotated(cases_visible_to(request.user).filter(perpetrator=perpetrator)))
    incidents = incidents_with_victims_for(request.user, perpetrator)
    access_log_record_people_shown(
        user=request.user,
        request=request,
        page=f"the page of perpetrator {person.full_name}",
        people=[("Victim", victim.person) for row in incidents for victim in row.victims_shown],
        object_id=perpetrator.public_id,
    )
    return render(
        request,
        "perpetrators/perpetrator_detail.html",
        {
            "perpetrator": perpetrator,
            "person": person,
            "cases": cases,
            "incidents": incidents,
            "panels": perpetrator_panels_for(request.user, perpetrator),
        },
    )
