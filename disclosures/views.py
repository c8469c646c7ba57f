import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cases.access.rules import can_record_disclosure
from cases.http import case_for
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt
from safety_plans.models import SafetyPlan

from . import services
from .forms import ApplicationForm, DecisionForm, OutcomeForm
from .http import application_for


@login_required
@form_view
def application_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(
        request,
        case_id,
        what="Clare's Law application form",
        can=("cases.view_disclosures", "cases.record_disclosure"),
        writing=True,
    )
    prefilled = {key: request.GET[key] for key in ("route", "person_at_risk") if key in request.GET}
    form = ApplicationForm(request.POST or None, case=case, initial=prefilled)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["person_at_risk"] = form.people[data["person_at_risk"]]
        recorded = attempt(
            request,
            lambda: services.application_record(actor=request.user, case=case, **data),
            form=form,
            success="Clare's Law application recorded.",
        )
        if recorded:
            return redirect("disclosures:detail", case_id=case.public_id, public_id=recorded.value.public_id)  # type: ignore[union-attr]
    return render(request, "disclosures/new.html", {"case": case, "form": form})


@login_required
@form_view
def application_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case, application = application_for(request, case_id, public_id, what="Clare's Law application page")
    can_record = can_record_disclosure(request.user, case)
    decision_form = DecisionForm(request.POST if request.POST.get("step") == "decide" else None)
    outcome_form = OutcomeForm(request.POST if request.POST.get("step") == "outcome" else None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        form: Form = decision_form if request.POST.get("step") == "decide" else outcome_form
        step = services.application_decide if form is decision_form else services.application_record_disclosure
        saved = form.is_valid() and attempt(
            request,
            lambda: step(actor=request.user, application=application, **form.cleaned_data),
            form=form,
            success="Saved.",
        )
        if saved:
            return redirect("disclosures:detail", case_id=case.public_id, public_id=application.public_id)
    plan = SafetyPlan.objects.filter(case=case, victim=application.person_at_risk).first()
    errors = decision_form if decision_form.errors else outcome_form if outcome_form.errors else None
    return render(
        request,
        "disclosures/detail.html",
        {
            "case": case,
            "application": application,
            "can_record": can_record,
            "plan": plan,
            "decision_form": decision_form,
            "outcome_form": outcome_form,
            "form": errors,
        },
    )
