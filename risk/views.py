import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.access.rules import can_assess_risk, can_view_risk_answers
from cases.http import case_or_404
from cases.models import Case
from cases.services import case_require_open
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from dacrre.core.form_tokens import form_view
from dacrre.core.forms import form_add_application_error
from dacrre.core.http import AuthenticatedHttpRequest

from . import services
from .forms import RiskAssessmentForm
from .models import RiskAssessment
from .panels import marac_prompt
from .questions import QUESTIONS


def _case(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> Case:
    return case_or_404(request.user, case_id)


@login_required
@form_view
def assessment_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    if not can_assess_risk(request.user, case):
        raise PermissionDenied
    case_require_open(case, lock=False)
    form = RiskAssessmentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.risk_assessment_record(
                actor=request.user,
                case=case,
                victim=case.victims.get(public_id=form.cleaned_data["victim"]),
                answers=form.answers(),
                judgement_level=form.cleaned_data["judgement_level"],
                judgement_reason=form.cleaned_data["judgement_reason"],
                notes=form.cleaned_data["notes"],
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, f"Risk assessment saved: {assessment.get_final_level_display().lower()} risk.")
            return redirect("risk:detail", case_id=case.public_id, public_id=assessment.public_id)
    return render(request, "risk/new.html", {"case": case, "form": form})


def _answers_allowed(request: AuthenticatedHttpRequest, case: Case) -> None:
    if not can_view_risk_answers(request.user, case):
        raise PermissionDenied("The answers describe the victim's situation and are not shared with your agency.")


@login_required
def assessment_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    assessment = (
        RiskAssessment.objects.filter(case=case, public_id=public_id)
        .select_related("victim__person", "assessed_by")
        .first()
    )
    if assessment is None:
        raise Http404("Risk assessment not found.")
    _answers_allowed(request, case)
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="risk assessment",
        object_id=assessment.public_id,
        object_label=str(assessment),
        case_reference=case.reference,
        person_id=assessment.victim.person.public_id,
        person_label=assessment.victim.person.full_name,
    )
    rows = [(question, assessment.answers.get(question.key, "")) for question in QUESTIONS]
    return render(
        request,
        "risk/detail.html",
        {
            "case": case,
            "assessment": assessment,
            "rows": rows,
            "can_assess": can_assess_risk(request.user, case),
            "marac": marac_prompt(case, assessment),
        },
    )


@login_required
def assessment_compare(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    _answers_allowed(request, case)
    latest = list(RiskAssessment.objects.filter(case=case).select_related("victim__person")[:2])
    if len(latest) < 2:
        raise Http404("There are fewer than two assessments to compare.")
    newer, older = latest
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="risk assessment",
        object_label=f"Comparison of the last two risk assessments on {case.reference}",
        case_reference=case.reference,
    )
    texts = {question.key: question for question in QUESTIONS}
    rows = [
        (texts[key], before, after, changed)
        for key, before, after, changed in services.assessments_compare(newer, older)
    ]
    return render(request, "risk/compare.html", {"case": case, "newer": newer, "older": older, "rows": rows})


@login_required
@form_view
@require_POST
def marac_referral(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id)
    try:
        services.marac_referral_record(actor=request.user, case=case)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        # Already referred today: nothing new is recorded, and the user is told so.
        messages.info(request, exc.message)
    else:
        messages.success(request, f"MARAC referral recorded for {timezone.localdate():%-d %b %Y}.")
    return redirect("cases:detail", public_id=case.public_id)
