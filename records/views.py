import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header

from cases.selectors import chronology_for
from dacrre.audit.access import Shown, rows_listed
from dacrre.core.exceptions import ApplicationError, ConflictError, NotFoundError
from dacrre.core.form_tokens import form_view
from dacrre.core.forms import form_add_application_error
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.paging import page_of
from people.models import Person

from . import services
from .forms import DisposeForm, RetainForm, SubjectAccessRequestForm, SubjectAccessSearchForm
from .http import (
    CaseDecided,
    records_agency,
    review_case_for,
    subject_access_export_for,
    subject_access_request_for,
    subject_for,
)
from .models import RetentionReview, SubjectAccessRequest
from .schedule import case_rule_label, schedule_rows
from .selectors import disposals_of, review_due_on, reviews_due_for
from .subject_access import export_zip, people_of_force


@login_required
def reviews(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The closed cases due for a retention review, longest closed first, and the schedule."""
    records_agency(request)
    due = reviews_due_for(request.user)
    page = page_of(due, due, request.GET.get("page"))
    rows_listed(
        request,
        page="retention reviews",
        detail=f"page {page.number}, {len(page.object_list)} cases due for review (references only)",
    )
    rows = [(case, review_due_on(case), case_rule_label(case)) for case in page.object_list]
    return render(request, "records/reviews.html", {"page": page, "rows": rows, "schedule": schedule_rows()})


def _decided(request: AuthenticatedHttpRequest) -> HttpResponse:
    messages.warning(request, "That case is no longer due for review: another reviewer has decided it.")
    return redirect("records:reviews")


@login_required
@form_view
def review(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A closed case as its reviewer decides on it: retain it (this form), or dispose of it (next page)."""
    try:
        case, plan = review_case_for(request, public_id, what="Retention review")
    except CaseDecided:
        return _decided(request)
    form = RetainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Not attempt(): a case another reviewer decided (or disposed of) since the page was shown is
        # said on the list or on the form, not answered as a 403 or a 404.
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
        case, plan = review_case_for(request, public_id, what="Disposal confirmation")
    except CaseDecided:
        return _decided(request)
    form = DisposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.case_dispose(
                actor=request.user, case_id=case.public_id, reason=form.cleaned_data["reason"], request=request
            )
        except (ConflictError, NotFoundError) as exc:
            # Not attempt(): decided or disposed of by another reviewer since the page was shown is
            # a warning back on the list, not the 404 attempt() answers for a record gone.
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
    records_agency(request)
    records = disposals_of(request.user)
    page = page_of(records, records, request.GET.get("page"))
    return render(request, "records/disposals.html", {"page": page})


@login_required
def disposal(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    records_agency(request)
    record = disposals_of(request.user).filter(public_id=public_id).first()
    if record is None:
        raise Http404("No such disposal.")
    return render(request, "records/disposal.html", {"record": record})


@login_required
def subject_access(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find the person a subject access request is about, among the force's records."""
    agency_id = records_agency(request)
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
    recent = list(SubjectAccessRequest.objects.filter(agency_id=agency_id).select_related("person")[:20])
    # The recent requests name their people too: on the log with those found.
    rows_listed(
        request,
        page="subject access search",
        detail=f"search {search!r}, {len(people)} people listed, {len(recent)} recent requests",
        shown=[Shown("Person", person) for person in people]
        + [Shown("Subject access request", sar.person) for sar in recent],
    )
    return render(
        request,
        "records/subject_access.html",
        {"form": form, "people": people, "search": search, "recent": recent},
    )


@login_required
@form_view
def subject_access_person(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    agency_id = records_agency(request)
    person = subject_for(request, public_id, what="Subject access")
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
    earlier = SubjectAccessRequest.objects.filter(person=person, agency_id=agency_id)
    return render(
        request, "records/subject_access_person.html", {"person": person, "form": form, "earlier": list(earlier)}
    )


@login_required
def subject_access_request(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    sar = subject_access_request_for(request, public_id, what="Subject access request page")
    return render(request, "records/subject_access_request.html", {"sar": sar})


@login_required
def subject_access_download(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The export: built when asked for, logged with the subject and every other person it names."""
    sar, export = subject_access_export_for(request, public_id)
    response = HttpResponse(export_zip(export, reference=sar.reference), content_type="application/zip")
    filename = f"subject-access-{sar.reference}.zip"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
