import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.access.rules import can_record_disclosure, can_view_disclosures
from cases.http import case_or_404
from cases.models import Case
from cases.services import case_require_open
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from dacrre.core.form_tokens import form_view
from dacrre.core.forms import form_add_application_error
from dacrre.core.http import AuthenticatedHttpRequest
from safety_plans.models import SafetyPlan

from . import services
from .forms import ApplicationForm, DecisionForm, OutcomeForm
from .models import DisclosureApplication


def _case(request: AuthenticatedHttpRequest, case_id: uuid.UUID, *, writing: bool) -> Case:
    case = case_or_404(request.user, case_id)
    if not can_view_disclosures(request.user, case) or (writing and not can_record_disclosure(request.user, case)):
        raise PermissionDenied
    if writing:
        case_require_open(case, lock=False)  # a closed case is read only: back to its page with the reason
    return case


@login_required
@form_view
def application_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, writing=True)
    form = ApplicationForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["person_at_risk"] = case.victims.get(public_id=data["person_at_risk"])
        try:
            application = services.application_record(actor=request.user, case=case, **data)
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, "Clare's Law application recorded.")
            return redirect("disclosures:detail", case_id=case.public_id, public_id=application.public_id)
    return render(request, "disclosures/new.html", {"case": case, "form": form})


@login_required
@form_view
def application_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, writing=False)
    application = (
        DisclosureApplication.objects.filter(case=case, public_id=public_id)
        .select_related("person_at_risk__person")
        .first()
    )
    if application is None:
        raise Http404("Application not found.")
    can_record = can_record_disclosure(request.user, case)
    decision_form = DecisionForm(request.POST if request.POST.get("step") == "decide" else None)
    outcome_form = OutcomeForm(request.POST if request.POST.get("step") == "outcome" else None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        form: Form = decision_form if request.POST.get("step") == "decide" else outcome_form
        if form.is_valid():
            try:
                if form is decision_form:
                    services.application_decide(actor=request.user, application=application, **form.cleaned_data)
                else:
                    services.application_record_disclosure(
                        actor=request.user, application=application, **form.cleaned_data
                    )
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except ApplicationError as exc:
                form_add_application_error(form, exc)
            else:
                messages.success(request, "Saved.")
                return redirect("disclosures:detail", case_id=case.public_id, public_id=application.public_id)
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="clare's law",
        object_id=application.public_id,
        object_label=str(application),
        case_reference=case.reference,
        person_id=application.person_at_risk.person.public_id,
        person_label=application.person_at_risk.person.full_name,
    )
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
