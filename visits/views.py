import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.access.rules import can_record_visit
from cases.http import case_for
from cases.models import Case
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt
from victims.models import Victim

from . import services
from .forms import PERPETRATOR, CancelForm, VisitLogForm, VisitPlanForm
from .http import visit_for
from .models import Visit, VisitStatus


def _victim(case: Case, subject: str) -> Victim | None:
    return None if subject == PERPETRATOR else case.victims.get(public_id=subject)


@login_required
@form_view
def visit_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(request, case_id, what="Visit form", can="cases.record_visit", writing=True)
    planned = None
    if planned_id := request.GET.get("planned"):
        planned = Visit.objects.filter(case=case, public_id=planned_id, status=VisitStatus.PLANNED).first()
    initial = None
    if planned is not None:
        initial = {
            "subject": str(planned.victim.public_id) if planned.victim else PERPETRATOR,
            "occurred_on": planned.planned_for.strftime("%d/%m/%Y") if planned.planned_for else "",
        }
    form = VisitLogForm(
        request.POST or None, case=case, actor=request.user, **({"initial": initial} if initial else {})
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        logged = attempt(
            request,
            lambda: services.visit_log(
                actor=request.user,
                case=case,
                victim=_victim(case, data["subject"]),
                occurred_at=form.occurred_at(),
                outcome=data["outcome"],
                notes=data["notes"],
                safeguarding_details=data["safeguarding_details"],
                other_officers=form.officers(),
                other_people_present=data["other_people_present"],
                next_due_override=data["next_due_override"],
                override_reason=data["override_reason"],
                planned_visit=planned,
            ),
            form=form,
            success="Visit logged.",
        )
        if logged:
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "visits/log.html", {"case": case, "form": form, "planned": planned})


@login_required
@form_view
def visit_plan(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(request, case_id, what="Visit plan form", can="cases.record_visit", writing=True)
    form = VisitPlanForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        planned = attempt(
            request,
            lambda: services.visit_plan(
                actor=request.user,
                case=case,
                victim=_victim(case, form.cleaned_data["subject"]),
                planned_for=form.planned_for(),
                notes=form.cleaned_data["notes"],
            ),
            form=form,
            success="Visit planned.",
        )
        if planned:
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "visits/plan.html", {"case": case, "form": form})


@login_required
def visit_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case, visit = visit_for(request, case_id, public_id, what="Visit page")
    return render(
        request,
        "visits/detail.html",
        {
            "case": case,
            "visit": visit,
            "cancel_form": CancelForm(),
            "can_record": can_record_visit(request.user, case),
        },
    )


@login_required
@form_view
@require_POST
def visit_cancel(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case, visit = visit_for(
        request, case_id, public_id, what="Visit cancellation", can="cases.record_visit", writing=True
    )
    form = CancelForm(request.POST)
    if form.is_valid():
        cancelled = attempt(
            request,
            lambda: services.visit_cancel(actor=request.user, visit=visit, reason=form.cleaned_data["reason"]),
            form=form,
            success="Planned visit cancelled.",
        )
        if cancelled:
            return redirect("cases:detail", public_id=case.public_id)
    return render(
        request,
        "visits/detail.html",
        {"case": case, "visit": visit, "cancel_form": form, "form": form, "can_record": True},
    )
