import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.access.rules import can_record_visit
from cases.http import case_or_404
from cases.models import Case
from cases.services import case_require_open
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from dacrre.core.form_tokens import form_view
from dacrre.core.forms import form_add_application_error
from dacrre.core.http import AuthenticatedHttpRequest
from victims.models import Victim

from . import services
from .forms import PERPETRATOR, CancelForm, VisitLogForm, VisitPlanForm
from .models import Visit, VisitStatus
from .selectors import visits_visible_to


def _case(request: AuthenticatedHttpRequest, case_id: uuid.UUID, *, writing: bool) -> Case:
    case = case_or_404(request.user, case_id)
    if writing and not can_record_visit(request.user, case):
        raise PermissionDenied
    if writing:
        case_require_open(case, lock=False)  # a closed case is read only: back to its page with the reason
    return case


def _victim(case: Case, subject: str) -> Victim | None:
    return None if subject == PERPETRATOR else case.victims.get(public_id=subject)


@login_required
@form_view
def visit_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, writing=True)
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
        try:
            services.visit_log(
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
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, "Visit logged.")
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "visits/log.html", {"case": case, "form": form, "planned": planned})


@login_required
@form_view
def visit_plan(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, writing=True)
    form = VisitPlanForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_plan(
                actor=request.user,
                case=case,
                victim=_victim(case, form.cleaned_data["subject"]),
                planned_for=form.planned_for(),
                notes=form.cleaned_data["notes"],
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, "Visit planned.")
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "visits/plan.html", {"case": case, "form": form})


@login_required
def visit_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, writing=False)
    visit = visits_visible_to(request.user, case).prefetch_related("officers").filter(public_id=public_id).first()
    if visit is None:
        raise Http404("Visit not found.")
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="visit",
        object_id=visit.public_id,
        object_label=str(visit),
        case_reference=case.reference,
    )
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
    case = _case(request, case_id, writing=True)
    visit = Visit.objects.filter(case=case, public_id=public_id).select_related("victim__person").first()
    if visit is None:
        raise Http404("Visit not found.")
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.visit_cancel(actor=request.user, visit=visit, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, "Planned visit cancelled.")
            return redirect("cases:detail", public_id=case.public_id)
    return render(
        request,
        "visits/detail.html",
        {"case": case, "visit": visit, "cancel_form": form, "form": form, "can_record": True},
    )
