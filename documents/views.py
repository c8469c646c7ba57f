import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from cases.models import Case
from dacrre.audit.models import AccessAction
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt
from meetings.models import Meeting
from orders.models import ProtectiveOrder
from people.models import Person
from referrals.models import Referral
from visits.models import Visit

from .access import document_for, document_target_for
from .forms import DocumentForm
from .models import Document, DocumentVisibility
from .rules import is_victim_side_target, visibilities_for
from .scanning import scanner_configured
from .selectors import Target, person_cases_for
from .services import document_add, document_content

# The file itself never runs anything: no scripts, no plugins but the browser's PDF viewer, no frames.
PREVIEW_POLICY = {
    "application/pdf": "default-src 'none'; object-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'",
    "image": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'; sandbox",
}
DOWNLOAD_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox"


def record_url(user: object, target: Target) -> str:
    """The page of what a document is attached to."""
    record = target.record
    if isinstance(record, Case):
        return reverse("cases:detail", args=[record.public_id])
    if isinstance(record, Visit):
        return reverse("visits:detail", args=[record.case.public_id, record.public_id])
    if isinstance(record, ProtectiveOrder):
        return reverse("orders:detail", args=[record.case.public_id, record.public_id])
    if isinstance(record, Referral):
        return reverse("referrals:detail", args=[record.public_id])
    if isinstance(record, Meeting):
        return reverse("meetings:detail", args=[record.public_id])
    assert isinstance(record, Person)  # noqa: S101 - the six kinds of target
    cases = person_cases_for(user, record)  # type: ignore[arg-type]
    if cases.filter(perpetrator__person=record).exists():
        return reverse("perpetrators:detail", args=[record.perpetrator.public_id])
    if cases.filter(victims__person=record).exists():
        return reverse("victims:detail", args=[record.victim.public_id])
    return reverse("cases:detail", args=[cases.first().public_id])  # type: ignore[union-attr]


@login_required
@form_view
def document_new(request: AuthenticatedHttpRequest, target_kind: str, target_id: uuid.UUID) -> HttpResponse:
    user = request.user
    target = document_target_for(request, target_kind, target_id)
    visibilities = visibilities_for(
        user, contact_allowed=target.contact_allowed, victim_side=is_victim_side_target(target.kind, target.record)
    )
    form = DocumentForm(request.POST or None, request.FILES or None, visibilities=visibilities)
    back = record_url(user, target)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        added = attempt(
            request,
            lambda: document_add(
                actor=user,
                target=target,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                visibility=form.cleaned_data["visibility"],
                filename=upload.name,
                data=upload.read(),
            ),
            form=form,
            success=lambda document: (
                f"Document added: {document.title}."
                + ("" if document.scan_status == "clean" else " It has not been scanned for malware.")
            ),
        )
        if added:
            return redirect(back)
    return render(
        request,
        "documents/new.html",
        {"form": form, "target": target, "back": back, "scanner": scanner_configured()},
    )


@login_required
def document_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    document, target = document_for(request, public_id, action=AccessAction.VIEW, what="Document page")
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "target": target,
            "back": record_url(request.user, target),
            "restricted": document.visibility != DocumentVisibility.ALL,
        },
    )


def _file_response(document: Document, *, inline: bool) -> HttpResponse:
    response = HttpResponse(document_content(document), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, document.filename) or "attachment"
    if inline:
        kind = "image" if document.is_image else document.content_type
        response["Content-Security-Policy"] = PREVIEW_POLICY[kind]
    else:
        response["Content-Security-Policy"] = DOWNLOAD_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def document_preview(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Images and PDFs, shown in the browser from the app (never from the store's own address)."""
    document, _ = document_for(request, public_id, action=AccessAction.VIEW, what="Document preview")
    if not document.previewable:
        raise Http404("This kind of file cannot be previewed: download it.")
    return _file_response(document, inline=True)


@login_required
def document_download(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    document, _ = document_for(request, public_id, action=AccessAction.EXPORT, what="Document download")
    return _file_response(document, inline=False)
