"""The one way to a document, and to the record a document is added to: fetch it, check the user
may see it (and what it is attached to), and write the access log through `record_access`, in the
request, before anything of it is shown. Used by the document page, the preview, the download and
the form that adds one; a document (or record) that does not exist and one the user may not see
answer the same 404."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cases.services import case_require_open
from dacrre.audit.access import AccessSubject, record_access
from dacrre.audit.models import AccessAction
from dacrre.core.exceptions import NotFoundError
from dacrre.core.http import AuthenticatedHttpRequest
from people.models import Person
from referrals.models import Referral
from visits.models import Visit

from .models import Document, TargetKind
from .rules import can_add_document
from .selectors import Target, document_get_for, target_get_for


def document_person(target: Target) -> Person | None:
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


def _target_subject(target: Target, object_type: str, object_id: object, label: str) -> AccessSubject:
    return AccessSubject(
        object_type=object_type,
        object_id=object_id,
        label=label,
        case_reference=target.case.reference if target.case is not None else "",
        person=document_person(target),
    )


def document_for(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, *, action: AccessAction, what: str
) -> tuple[Document, Target]:
    """The document and what it is attached to, logged as `what` ("Document page", "Document
    preview", "Document download"); 404 when the user may not see it."""
    try:
        document, target = document_get_for(request.user, public_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    record_access(
        request,
        _target_subject(target, "document", document.public_id, document.title),
        action=action,
        what=what,
        detail=f"{document.filename} ({document.content_type}, {document.size} bytes), attached to {target.label}",
    )
    return document, target


def document_target_for(request: AuthenticatedHttpRequest, target_kind: str, target_id: uuid.UUID) -> Target:
    """The record a document is to be added to, for a user who may add one there (403 otherwise;
    a closed case goes back to its page with the reason), logged as the "Document form" of it."""
    if target_kind not in TargetKind.values:
        raise Http404("No such record.")
    try:
        target = target_get_for(request.user, target_kind, target_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if target.case is not None:
        case_require_open(target.case, lock=False)  # read only: back to the case with the reason
    if not can_add_document(request.user, target.kind, target.record, target.case):
        raise PermissionDenied("You cannot add documents here.")
    record_access(request, _target_subject(target, target_kind, target_id, target.label), what="Document form")
    return target
