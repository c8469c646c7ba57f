"""Stalking screening pages: asked alongside DASH, with the referral to the stalking pathway."""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.http import case_for
from dacrre.accounts.predicates import can
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from .http import screening_for
from .stalking import HIGH_RISK_YES_COUNT, STALKING_QUESTIONS
from .stalking_forms import StalkingScreeningForm
from .stalking_services import stalking_pathway_referral_record, stalking_screening_record


@login_required
@form_view
def screening_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(request, case_id, what="Stalking screening form", can="cases.assess_risk", writing=True)
    form = StalkingScreeningForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: stalking_screening_record(actor=request.user, case=case, **form.recorded()),
            form=form,
            success="Stalking screening saved.",
        )
        if saved:
            return redirect("risk:stalking_detail", case_id=case.public_id, public_id=saved.value.public_id)  # type: ignore[union-attr]
    return render(request, "risk/stalking_new.html", {"case": case, "form": form})


@login_required
def screening_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case, screening = screening_for(request, case_id, public_id, what="Stalking screening")
    rows = [(question, screening.answers.get(question.key, "")) for question in STALKING_QUESTIONS]
    return render(
        request,
        "risk/stalking_detail.html",
        {
            "case": case,
            "screening": screening,
            "rows": rows,
            "can_refer": can(request.user, "cases.assess_risk", case) and case.status != "closed",
            "high_risk_count": HIGH_RISK_YES_COUNT,
        },
    )


@login_required
@form_view
@require_POST
def pathway_referral(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case, screening = screening_for(request, case_id, public_id, what="Referral to the stalking pathway")
    attempt(
        request,
        lambda: stalking_pathway_referral_record(actor=request.user, screening=screening),
        success="Referral to the stalking pathway recorded.",
    )
    return redirect("risk:stalking_detail", case_id=case.public_id, public_id=screening.public_id)
