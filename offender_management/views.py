import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.models import CaseStatus
from cases.selectors import cases_visible_to
from dacrre.core.exceptions import ApplicationError, NotFoundError, PermissionDeniedError
from dacrre.core.form_tokens import form_view
from dacrre.core.forms import form_add_application_error
from dacrre.core.http import AuthenticatedHttpRequest
from perpetrators.models import Perpetrator
from perpetrators.selectors import perpetrator_get_for

from . import services
from .forms import AllocationForm, EndAllocationForm, InterventionForm
from .models import ProgrammeAllocation
from .rules import can_allocate_programme, can_record_intervention


def _perpetrator(request: AuthenticatedHttpRequest, perpetrator_id: uuid.UUID) -> Perpetrator:
    try:
        return perpetrator_get_for(request.user, perpetrator_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _done(request: AuthenticatedHttpRequest, perpetrator: Perpetrator, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("perpetrators:detail", public_id=perpetrator.public_id)


@login_required
@form_view
def allocate(request: AuthenticatedHttpRequest, perpetrator_id: uuid.UUID) -> HttpResponse:
    perpetrator = _perpetrator(request, perpetrator_id)
    if not can_allocate_programme(request.user, perpetrator):
        raise PermissionDenied
    form = AllocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            allocation = services.programme_allocate(actor=request.user, perpetrator=perpetrator, **form.cleaned_data)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            return _done(request, perpetrator, f"Allocated to {allocation.get_programme_display()}.")
    return render(
        request,
        "offender_management/form.html",
        {
            "perpetrator": perpetrator,
            "form": form,
            "heading": "Allocate to a programme",
            "button": "Allocate",
        },
    )


@login_required
@form_view
def end_allocation(request: AuthenticatedHttpRequest, perpetrator_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    perpetrator = _perpetrator(request, perpetrator_id)
    try:
        allocation = ProgrammeAllocation.objects.get(perpetrator=perpetrator, public_id=public_id)
    except ProgrammeAllocation.DoesNotExist as exc:
        raise Http404("Allocation not found.") from exc
    if not can_allocate_programme(request.user, perpetrator):
        raise PermissionDenied
    form = EndAllocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_end(actor=request.user, allocation=allocation, **form.cleaned_data)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            return _done(request, perpetrator, f"{allocation.get_programme_display()} allocation ended.")
    return render(
        request,
        "offender_management/form.html",
        {
            "perpetrator": perpetrator,
            "form": form,
            "heading": f"End {allocation.get_programme_display()} allocation",
            "button": "End allocation",
        },
    )


@login_required
@form_view
def record_intervention(request: AuthenticatedHttpRequest, perpetrator_id: uuid.UUID) -> HttpResponse:
    perpetrator = _perpetrator(request, perpetrator_id)
    if not can_record_intervention(request.user, perpetrator):
        raise PermissionDenied
    cases = list(
        cases_visible_to(request.user)
        .filter(perpetrator=perpetrator)
        .exclude(status=CaseStatus.CLOSED)  # closed cases are read only
        .order_by("reference")
    )
    form = InterventionForm(request.POST or None, cases=cases)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["case"] = next((c for c in cases if c.pk == data["case"]), None)
        try:
            services.intervention_record(actor=request.user, perpetrator=perpetrator, **data)
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            return _done(request, perpetrator, "Intervention recorded.")
    return render(
        request,
        "offender_management/form.html",
        {
            "perpetrator": perpetrator,
            "form": form,
            "heading": "Record an intervention",
            "button": "Record intervention",
        },
    )
