import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.http import case_for
from dacrre.accounts.predicates import can, require
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt
from victims.selectors import victim_confidential_for

from . import services
from .forms import SurveyForm, ThresholdsForm
from .models import Aspect, SatisfactionSurvey, SatisfactionThreshold


@login_required
@form_view
def survey_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID, victim_id: uuid.UUID) -> HttpResponse:
    """Record a victim's answers by hand. The page shows the victim's safe-contact arrangements (to
    those who may see them) so that they are asked only that way; nothing is sent to the victim."""
    case = case_for(
        request, case_id, what="Satisfaction survey form", can="experience.record_survey", writing=True, people=True
    )
    link = next((v for v in case.victims_shown if v.victim.public_id == victim_id), None)  # type: ignore[attr-defined]
    if link is None:
        raise Http404("Victim not found.")
    victim = link.victim
    existing = SatisfactionSurvey.objects.filter(case=case, victim=victim).first()
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: services.survey_record(
                actor=request.user,
                case=case,
                victim=victim,
                outcome=data["outcome"],
                method=data["method"],
                surveyed_on=data["surveyed_on"],
                answers=form.answers(),
            ),
            form=form,
            success="Satisfaction survey recorded.",
        ):
            return redirect("cases:detail", public_id=case.public_id)
    contact_allowed = can(request.user, "cases.view_safe_contact", case)
    confidential = victim_confidential_for(request.user, victim) if contact_allowed else None
    return render(
        request,
        "experience/survey_form.html",
        {
            "case": case,
            "victim": victim,
            "form": form,
            "existing": existing,
            "contact_allowed": contact_allowed,
            "safe_contact": confidential.safe_contact_arrangements.strip() if confidential else "",
        },
    )


@login_required
@form_view
def thresholds(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The force's satisfaction thresholds: per aspect, the % satisfied below which the report
    shows Low."""
    require(request.user, "experience.set_thresholds")
    assert request.user.agency_id is not None  # noqa: S101 - the predicate requires an agency
    current = SatisfactionThreshold.for_agency(request.user.agency_id)
    form = ThresholdsForm(request.POST or None, initial={a: current.of(a) for a in Aspect.values})
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.satisfaction_thresholds_set(
                actor=request.user, values={a: form.cleaned_data[a] for a in Aspect.values}
            ),
            form=form,
            success="Satisfaction thresholds saved.",
        )
    ):
        return redirect("reports:performance")
    return render(request, "experience/thresholds.html", {"form": form})
