import uuid
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from cases.selectors import case_list_annotated, cases_visible_to
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record, access_log_record_people_shown
from dacrre.core.exceptions import NotFoundError
from dacrre.core.http import AuthenticatedHttpRequest

from .selectors import victim_confidential_for, victim_get_for


@login_required
def victim_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    try:
        victim = victim_get_for(user, public_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    person = victim.person
    log_access = partial(
        access_log_record,
        user=user,
        request=request,
        object_type="victim",
        object_id=victim.public_id,
        person_id=person.public_id,
        person_label=person.full_name,
    )
    log_access(action=AccessAction.VIEW, object_label=f"Victim {person.full_name}")
    confidential = victim_confidential_for(user, victim)
    if confidential is not None:
        log_access(action=AccessAction.VIEW_CONFIDENTIAL, object_label=f"Contact details of {person.full_name}")
    cases = list(case_list_annotated(cases_visible_to(user).filter(victims=victim)))
    access_log_record_people_shown(
        user=user,
        request=request,
        page=f"the page of victim {person.full_name}",
        people=[("Perpetrator", case.perpetrator.person, case.reference) for case in cases],
        object_id=victim.public_id,
    )
    return render(
        request,
        "victims/victim_detail.html",
        {"victim": victim, "person": person, "confidential": confidential, "cases": cases},
    )
