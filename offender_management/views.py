import uuid

from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.models import CaseStatus
from cases.selectors import cases_visible_to
from dacrre.accounts.predicates import can, require
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt
from perpetrators.http import perpetrator_for
from perpetrators.models import Perpetrator

from . import progress, services
from .forms import AllocationForm, AttendanceForm, EndAllocationForm, InterventionForm, MeasureForm, StageForm
from .models import STAGE_MOVES, ProgrammeAllocation, ProgrammeStage
from .selectors import measures_compared


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


STEP_FORMS = {"stage": StageForm, "attendance": AttendanceForm, "measure": MeasureForm}


@login_required
@form_view
def programme(request: AuthenticatedHttpRequest, perpetrator_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    """A programme allocation: its stage, attendance and measures, moved on by the lead agency."""
    perpetrator = perpetrator_for(request, perpetrator_id, what="Programme")
    allocation = (
        ProgrammeAllocation.objects.filter(perpetrator=perpetrator, public_id=public_id)
        .select_related("lead_agency")
        .first()
    )
    if allocation is None:
        raise Http404("Programme allocation not found.")
    stages = [(stage, ProgrammeStage(stage).label) for stage in sorted(STAGE_MOVES[allocation.stage])]
    step = request.POST.get("step", "") if request.method == "POST" else ""
    forms_shown = {
        "stage": StageForm(request.POST if step == "stage" else None, stages=stages, prefix="stage"),
        "attendance": AttendanceForm(request.POST if step == "attendance" else None, prefix="attendance"),
        "measure": MeasureForm(request.POST if step == "measure" else None, prefix="measure"),
    }
    if step in forms_shown:
        require(request.user, "offender_management.run_programme", allocation)
        form = forms_shown[step]
        if form.is_valid() and attempt(
            request, lambda: _progress(step, request, allocation, form), form=form, success="Saved."
        ):
            return redirect(
                "offender_management:programme", perpetrator_id=perpetrator.public_id, public_id=allocation.public_id
            )
    return render(
        request,
        "offender_management/programme.html",
        {
            "perpetrator": perpetrator,
            "allocation": allocation,
            "forms": forms_shown,
            "may_run": can(request.user, "offender_management.run_programme", allocation),
            "changes": list(allocation.stage_changes.select_related("changed_by")),
            "attendance": list(allocation.attendance.all()),
            "measures": measures_compared(allocation),
        },
    )


def _progress(step: str, request: AuthenticatedHttpRequest, allocation: ProgrammeAllocation, form: Form) -> object:
    data = form.cleaned_data
    if step == "stage":
        return progress.programme_stage_move(
            actor=request.user, allocation=allocation, to_stage=data["to_stage"], on=data["on"], note=data["note"]
        )
    if step == "attendance":
        return progress.attendance_record(actor=request.user, allocation=allocation, **data)
    return progress.behaviour_measure_record(
        actor=request.user,
        allocation=allocation,
        point=data["point"],
        measured_on=data["measured_on"],
        scores=form.scores(),  # type: ignore[attr-defined]
    )
