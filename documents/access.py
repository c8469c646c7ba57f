"""The one way to a document: fetch it, check the user may see it (and what it is attached to), and
write the access log, in the request, before anything of it is shown. Used by the document page,
the preview and the download; a document that does not exist and one the user may not see answer
the same 404."""

import uuid

from django.http import Http404

from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.exceptions import NotFoundError
from dacrre.core.http import AuthenticatedHttpRequest
from people.models import Person
from referrals.models import Referral
from visits.models import Visit

from .models import Document
from .selectors import Target, document_get_for


def document_person(document: Document, target: Target) -> Person | None:
    """The person the document is about, for the access log: the person it is attached to, the
    victim visited, the referral's subject, else the case's perpetrator."""
    record = target.record
    if isinstance(record, Person):
        return record
    if isinstance(record, Visit) and record.victim_id is not None:
        return record.victim.person  # type: ignore[union-attr]
    if isinstance(record, Referral):
        return record.subject_person
    if target.case is not None:
        return target.case.perpetrator.person
    return None


def document_for(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, *, action: AccessAction, what: str
) -> tuple[Document, Target]:
    """The document and what it is attached to, logged as `what` ("Document page", "Document
    preview", "Document download"); 404 when the user may not see it."""
    try:
        document, target = document_get_for(request.user, public_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    person = document_person(document, target)
    access_log_record(
        user=request.user,
        action=action,
        request=request,
        object_type="document",
        object_id=document.public_id,
        object_label=f"{what}: {document.title}",
        case_reference=target.case.reference if target.case is not None else "",
        person_id=person.public_id if person is not None else "",
        person_label=person.full_name if person is not None else "",
        detail=f"{document.filename} ({document.content_type}, {document.size} bytes), attached to {target.label}",
    )
    return document, target
