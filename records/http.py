"""The one way the records pages reach a case due for review, a person of the force and a subject
access request: fetch, decide, log, in one call (cases/http.py explains the pattern). Records
management is for the force's data protection officers."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from cases.models import Case
from dacrre.audit.access import AccessSubject, Shown, record_access, record_for
from dacrre.audit.models import AccessAction
from dacrre.core.exceptions import NotFoundError
from people.models import Person

from .disposal import DisposalPlan, disposal_plan
from .models import SubjectAccessRequest
from .rules import can_manage_records
from .selectors import review_case_get_for, subject_access_request_get_for
from .subject_access import Export, subject_access_export, subject_get_for


class CaseDecided(Exception):
    """The case is no longer due for review: a reviewer sent a form for it after another decided it."""


def records_agency(request: HttpRequest) -> int:
    """The user's agency, whose records they manage; 403 for anyone but its data protection officers."""
    user = request.user
    if not can_manage_records(user) or user.agency_id is None:  # type: ignore[arg-type,union-attr]
        raise PermissionDenied("Records management is for the force's data protection officers.")
    return user.agency_id  # type: ignore[union-attr]


def review_case_for(request: HttpRequest, public_id: uuid.UUID, *, what: str) -> tuple[Case, DisposalPlan]:
    """The due case and what disposing of it would remove, logged with every person it shows. A form
    sent for a case no longer due raises CaseDecided (decided or disposed of by another reviewer)."""
    records_agency(request)
    try:
        case = review_case_get_for(request.user, public_id)  # type: ignore[arg-type]
        plan = disposal_plan(case)  # may find the case disposed of meanwhile by another reviewer
    except NotFoundError as exc:
        if request.method == "POST":
            raise CaseDecided from exc
        raise Http404(exc.message) from exc
    person = case.perpetrator.person
    record_access(
        request,
        case,
        what=what,
        detail="retention review",
        shown=[Shown("Person", fate.person) for fate in plan.people if fate.person.pk != person.pk],
    )
    return case, plan


def subject_for(request: HttpRequest, public_id: uuid.UUID, *, what: str) -> Person:
    """A person the force holds, for a subject access page, logged."""
    records_agency(request)
    return record_for(request, subject_get_for, public_id, what=what)


def subject_access_request_for(request: HttpRequest, public_id: uuid.UUID, *, what: str) -> SubjectAccessRequest:
    """One of the force's subject access requests for the page `what`, logged."""
    records_agency(request)
    return record_for(request, subject_access_request_get_for, public_id, what=what)


def subject_access_export_for(request: HttpRequest, public_id: uuid.UUID) -> tuple[SubjectAccessRequest, Export]:
    """A request's export, built when asked for and logged with the subject and every other person
    it names."""
    records_agency(request)
    try:
        sar = subject_access_request_get_for(request.user, public_id)  # type: ignore[arg-type]
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    export = subject_access_export(person=sar.person, agency_id=sar.agency_id)
    record_access(
        request,
        AccessSubject(
            object_type="subject access export",
            object_id=sar.public_id,
            label=f"Subject access export {sar.reference}",
            person=sar.person,
        ),
        action=AccessAction.EXPORT,
        detail=f"{len(export.rows)} items, {len(export.documents)} documents, "
        f"{len(export.withheld_documents)} documents withheld",
        reason=sar.reference,
        shown=[Shown(*row) for row in export.third_parties.values()],
    )
    return sar, export
