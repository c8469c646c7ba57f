import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from cases.models import Case
from cases.selectors import chronology_for
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record, access_log_record_people_shown
from dacrre.core.exceptions import ApplicationError, ConflictError, NotFoundError
from dacrre.core.form_tokens import form_view
from dacrre.core.forms import form_add_application_error
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.paging import page_of
from people.models import Person

from . import services
from .disposal import DisposalPlan, disposal_plan
from .forms import DisposeForm, RetainForm, SubjectAccessRequestForm, SubjectAccessSearchForm
from .models import RetentionReview, SubjectAccessRequest
from .rules import can_manage_records
from .schedule import case_rule_label, schedule_rows
from .selectors import disposals_of, review_case_get_for, review_due_on, reviews_due_for
from .subject_access import export_zip, people_of_force, subject_access_export


def _require_records_role(request: AuthenticatedHttpRequest) -> int:
    """The user's agency, whose records they manage; 403 for anyone but its data protection officers."""
    if not can_manage_records(request.user) or request.user.agency_id is None:
        raise PermissionDenied("Records management is for the force's data protection officers.")
    return request.user.agency_id


@login_required
def reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The closed cases due for a retention review, longest closed first, and the schedule."""
    _require_records_role(request)
    due = reviews_due_for(request.user)
    page = page_of(due, due, request.GET.get("page"))
    access_log_record(
        user=request.user,
        action=AccessAction.LIST,
        request=request,
        object_type="retention reviews",
        detail=f"page {page.number}, {len(page.object_list)} cases due for review (references only)",
    )
    rows = [(case, review_due_on(case), case_rule_label(case)) for case in page.object_list]
    return render(request, "records/reviews.html", {"page": page, "rows": rows, "schedule": schedule_rows()})


class _Decided(Exception):
    """The case is no longer due for review: a reviewer sent a form for it after another decided it."""


def _decided(request: AuthenticatedHttpRequest) -> HttpResponse:
    messages.warning(request, "That case is no longer due for review: another reviewer has decided it.")
    return redirect("records:reviews")


def _case_for_review(
    request: AuthenticatedHttpRequest, public_id: uuid.UUID, *, what: str
) -> tuple[Case, DisposalPlan]:
    """The due case and what disposing of it would remove, logged with every person it shows."""
    _require_records_role(request)
    try:
        case = review_case_get_for(request.user, public_id)
    except NotFoundError as exc:
        if request.method == "POST":  # decided (or disposed of) by another reviewer since the page was shown
            raise _Decided from exc
        raise Http404(exc.message) from exc
    plan = disposal_plan(case)
    person = case.perpetrator.person
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="case",
        object_id=case.public_id,
        object_label=f"{what} of case {case.reference}",
        case_reference=case.reference,
        person_id=person.public_id,
        person_label=person.full_name,
        detail="retention review",
    )
    access_log_record_people_shown(
        user=request.user,
        request=request,
        page=f"the {what.lower()} of case {case.reference}",
        people=[("Person", fate.person) for fate in plan.people if fate.person.pk != person.pk],
        object_id=case.public_id,
        case_reference=case.reference,
    )
    return case, plan


@login_required
@form_view
def review(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A closed case as its reviewer decides on it: retain it (this form), or dispose of it (next page)."""
    try:
        case, plan = _case_for_review(request, public_id, what="Retention review")
    except _Decided:
        return _decided(request)
    form = RetainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.case_retain(
                actor=request.user,
                case_id=case.public_id,
                reason=form.cleaned_data["reason"],
                next_review_on=form.cleaned_data["next_review_on"],
            )
        except ConflictError as exc:
            messages.warning(request, exc.message)
            return redirect("records:reviews")
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(
                request, f"Case {case.reference} retained: its next review is on {decision.next_review_on:%-d %B %Y}."
            )
            return redirect("records:reviews")
    context = {
        "case": case,
        "plan": plan,
        "form": form,
        "due_on": review_due_on(case),
        "rule": case_rule_label(case),
        "earlier": list(RetentionReview.objects.filter(case=case).select_related("decided_by")),
        "chronology": list(chronology_for(request.user, case)[:50]),
    }
    return render(request, "records/review.html", context)


@login_required
@form_view
def dispose(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The confirmation step: exactly what will be removed, the reason, and the button that does it."""
    try:
        case, plan = _case_for_review(request, public_id, what="Disposal confirmation")
    except _Decided:
        return _decided(request)
    form = DisposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.case_dispose(
                actor=request.user, case_id=case.public_id, reason=form.cleaned_data["reason"], request=request
            )
        except (ConflictError, NotFoundError) as exc:
            messages.warning(request, exc.message)
            return redirect("records:reviews")
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(
                request,
                f"Case {record.case_reference} disposed of: {sum(record.removed.values())} records, "
                f"{record.files_removed} stored files and {record.people_removed} people removed.",
            )
            return redirect("records:disposal", public_id=record.public_id)
    return render(request, "records/dispose.html", {"case": case, "plan": plan, "form": form})


@login_required
def disposals(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_records_role(request)
    records = disposals_of(request.user)
    page = page_of(records, records, request.GET.get("page"))
    return render(request, "records/disposals.html", {"page": page})


@login_required
def disposal(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    _require_records_role(request)
    record = disposals_of(request.user).filter(public_id=public_id).first()
    if record is None:
        raise Http404("No such disposal.")
    return render(request, "records/disposal.html", {"record": record})


@login_required
def subject_access(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find the person a subject access request is about, among the force's records."""
    agency_id = _require_records_role(request)
    form = SubjectAccessSearchForm(request.GET or None)
    people: list[Person] = []
    search = ""
    if form.is_valid() and form.cleaned_data["q"].strip():
        search = form.cleaned_data["q"].strip()
        words = search.split()
        found = people_of_force(request.user)
        for word in words:
            found = found.filter(
                Q(given_name__icontains=word) | Q(family_name__icontains=word) | Q(police_identifier__iexact=word)
            )
        people = list(found.order_by("family_name", "given_name", "pk")[:50])
        access_log_record(
            user=request.user,
            action=AccessAction.LIST,
            request=request,
            object_type="subject access search",
            detail=f"search {search!r}, {len(people)} people listed",
        )
        access_log_record_people_shown(
            user=request.user,
            request=request,
            action=AccessAction.LIST,
            page="the subject access search",
            people=[("Person", person) for person in people],
        )
    recent = SubjectAccessRequest.objects.filter(agency_id=agency_id).select_related("person")[:20]
    return render(
        request,
        "records/subject_access.html",
        {"form": form, "people": people, "search": search, "recent": list(recent)},
    )


def _subject(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> Person:
    person = people_of_force(request.user).filter(public_id=public_id).first()
    if person is None:
        raise Http404("Person not found.")
    return person


@login_required
@form_view
def subject_access_person(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    agency_id = _require_records_role(request)
    person = _subject(request, public_id)
    form = SubjectAccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sar = SubjectAccessRequest.objects.create(
            person=person,
            agency_id=agency_id,
            reference=form.cleaned_data["reference"].strip(),
            requested_by=request.user,
        )
        messages.success(request, f"Export ready for {sar.reference}: download it, review it and redact it.")
        return redirect("records:subject_access_request", public_id=sar.public_id)
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="person",
        object_id=person.public_id,
        object_label=f"Subject access: {person.full_name}",
        person_id=person.public_id,
        person_label=person.full_name,
    )
    earlier = SubjectAccessRequest.objects.filter(person=person, agency_id=agency_id)
    return render(
        request, "records/subject_access_person.html", {"person": person, "form": form, "earlier": list(earlier)}
    )


def _request(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> SubjectAccessRequest:
    agency_id = _require_records_role(request)
    sar = (
        SubjectAccessRequest.objects.filter(public_id=public_id, agency_id=agency_id)
        .select_related("person", "requested_by")
        .first()
    )
    if sar is None:
        raise Http404("No such request.")
    return sar


@login_required
def subject_access_request(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    sar = _request(request, public_id)
    return render(request, "records/subject_access_request.html", {"sar": sar})


@login_required
def subject_access_download(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The export: built when asked for, logged with the subject and every other person it names."""
    sar = _request(request, public_id)
    export = subject_access_export(person=sar.person, agency_id=sar.agency_id)
    access_log_record(
        user=request.user,
        action=AccessAction.EXPORT,
        request=request,
        object_type="subject access export",
        object_id=sar.public_id,
        object_label=f"Subject access export {sar.reference}",
        person_id=sar.person.public_id,
        person_label=sar.person.full_name,
        detail=f"{len(export.rows)} items, {len(export.documents)} documents, "
        f"{len(export.withheld_documents)} documents withheld",
        reason=sar.reference,
    )
    access_log_record_people_shown(
        user=request.user,
        request=request,
        action=AccessAction.EXPORT,
        page=f"subject access export {sar.reference}",
        people=list(export.third_parties.values()),
        object_id=sar.public_id,
    )
    response = HttpResponse(export_zip(export, reference=sar.reference), content_type="application/zip")
    filename = f"subject-access-{sar.reference}.zip"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
