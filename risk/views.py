import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.access.rules import can_assess_risk
from cases.http import case_for
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from . import services
from .forms import RiskAssessmentForm
from .http import ANSWERS_REFUSED, assessment_for
from .models import RiskAssessment
from .panels import marac_prompt
from .questions import QUESTIONS


@login_required
@form_view
def assessment_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(request, case_id, what="Risk assessment form", can="cases.assess_risk", writing=True)
    form = RiskAssessmentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: services.risk_assessment_record(
                actor=request.user,
                case=case,
                victim=case.victims.get(public_id=form.cleaned_data["victim"]),
                answers=form.answers(),
                judgement_level=form.cleaned_data["judgement_level"],
                judgement_reason=form.cleaned_data["judgement_reason"],
                notes=form.cleaned_data["notes"],
            ),
            form=form,
            success=lambda assessment: f"Risk assessment saved: {assessment.get_final_level_display().lower()} risk.",
        )
        if saved:
            return redirect("risk:detail", case_id=case.public_id, public_id=saved.value.public_id)  # type: ignore[union-attr]
    return render(request, "risk/new.html", {"case": case, "form": form})


@login_required
def assessment_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case, assessment = assessment_for(request, case_id, public_id, what="Risk assessment page")
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
    case = case_for(
        request,
        case_id,
        what="Comparison of the last two risk assessments",
        can="cases.view_risk_answers",
        refused=ANSWERS_REFUSED,
    )
    latest = list(RiskAssessment.objects.filter(case=case).select_related("victim__person")[:2])
    if len(latest) < 2:
        raise Http404("There are fewer than two assessments to compare.")
    newer, older = latest
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
    case = case_for(request, case_id, what="MARAC referral")
    # Already referred today: nothing new is recorded, and the user is told so.
    attempt(
        request,
        lambda: services.marac_referral_record(actor=request.user, case=case),
        success=f"MARAC referral recorded for {timezone.localdate():%-d %b %Y}.",
        refusal_level=messages.INFO,
    )
    return redirect("cases:detail", public_id=case.public_id)
