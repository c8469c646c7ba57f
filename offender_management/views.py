import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.models import CaseStatus
from cases.selectors import cases_visible_to
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt
from perpetrators.http import perpetrator_for
from perpetrators.models import Perpetrator

from . import services
from .forms import AllocationForm, EndAllocationForm, InterventionForm
from .models import ProgrammeAllocation


def _done(perpetrator: Perpetrator) -> HttpResponse:
    return redirect("perpetrators:detail", public_id=perpetrator.public_id)


@login_required
@form_view
def allocate(request: AuthenticatedHttpRequest, perpetrator_id: uuid.UUID) -> HttpResponse:
    perpetrator = perpetrator_for(
        request, perpetrator_id, what="Programme allocation form", can="offender_management.allocate_programme"
    )
    form = AllocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allocated = attempt(
            request,
            lambda: services.programme_allocate(actor=request.user, perpetrator=perpetrator, **form.cleaned_data),
            form=form,
            success=lambda allocation: f"Allocated to {allocation.get_programme_display()}.",
        )
        if allocated:
            return _done(perpetrator)
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
    perpetrator = perpetrator_for(
        request, perpetrator_id, what="End of programme allocation", can="offender_management.allocate_programme"
    )
    allocation = ProgrammeAllocation.objects.filter(perpetrator=perpetrator, public_id=public_id).first()
    if allocation is None:
        raise Http404("Allocation not found.")
    form = EndAllocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = attempt(
            request,
            lambda: services.programme_end(actor=request.user, allocation=allocation, **form.cleaned_data),
            form=form,
            success=f"{allocation.get_programme_display()} allocation ended.",
        )
        if ended:
            return _done(perpetrator)
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
    perpetrator = perpetrator_for(
        request, perpetrator_id, what="Intervention form", can="offender_management.record_intervention"
    )
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
        recorded = attempt(
            request,
            lambda: services.intervention_record(actor=request.user, perpetrator=perpetrator, **data),
            form=form,
            success="Intervention recorded.",
        )
        if recorded:
            return _done(perpetrator)
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
