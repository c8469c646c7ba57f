import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.http import case_for
from dacrre.accounts.predicates import can, require
from dacrre.audit.access import rows_listed
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from . import services
from .forms import NfaReviewForm, OutcomeForm, VictimUpdateForm
from .http import crime_for, nfa_review_for
from .models import Investigation
from .selectors import crimes_on_case, nfa_reviews_awaiting, victim_updates_on_case


@login_required
def case_outcomes(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The perpetrator's crimes on this case and what the justice process did with each."""
    see_updates = can(request.user, "justice.see_victim_updates")
    case = case_for(request, case_id, what="Justice outcomes", can="justice.see_outcomes", people=see_updates)
    context: dict[str, object] = {
        "case": case,
        "crimes": crimes_on_case(case),
        "can_record": can(request.user, "justice.record", case),
        "see_updates": see_updates,
        "can_update": can(request.user, "justice.update_victim", case),
    }
    if context["see_updates"]:
        context["updates"], context["updates_due"] = victim_updates_on_case(case)
    return render(request, "justice/case_outcomes.html", context)


@login_required
@form_view
def outcome_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID, incident_id: uuid.UUID) -> HttpResponse:
    case, crime = crime_for(
        request, case_id, incident_id, what="Justice outcome form", can="justice.record", writing=True
    )
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = form.step(crime.occurred_at)
        if attempt(
            request,
            lambda: services.outcome_record(actor=request.user, case=case, incident=crime, step=step),
            form=form,
            success=lambda event: f"{event.get_kind_display()} recorded.",
        ):
            return redirect("justice:case", case_id=case.public_id)
    investigation = Investigation.objects.filter(incident=crime).first()
    return render(
        request,
        "justice/outcome_form.html",
        {"case": case, "crime": crime, "form": form, "investigation": investigation},
    )


@login_required
@form_view
def nfa_review(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    review = nfa_review_for(request, case_id, public_id, what="NFA review", can="justice.see_outcomes")
    case = review.case
    may_review = can(request.user, "justice.review_nfa", case) and review.status == "awaiting"
    form = NfaReviewForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "justice.review_nfa", case)
        if form.is_valid():
            data = form.cleaned_data
            if attempt(
                request,
                lambda: services.nfa_review_record(
                    actor=request.user,
                    review=review,
                    decision=data["decision"],
                    referred_to_cps=data["referred_to_cps"],
                    comments=data["comments"],
                ),
                form=form,
                success="Review recorded.",
            ):
                return redirect("justice:nfa_queue")
    return render(
        request, "justice/nfa_review.html", {"case": case, "review": review, "form": form, "may_review": may_review}
    )


@login_required
def nfa_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Team -> NFA reviews: every NFA decision awaiting a sergeant's review, oldest first."""
    require(request.user, "justice.nfa_queue")
    reviews = list(nfa_reviews_awaiting(request.user)[:500])
    rows_listed(request, page="NFA reviews", detail=f"{len(reviews)} awaiting review")
    return render(request, "justice/nfa_queue.html", {"reviews": reviews, "today": timezone.localdate()})


@login_required
@form_view
def victim_update(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(
        request, case_id, what="Victims' Code update form", can="justice.update_victim", writing=True, people=True
    )
    form = VictimUpdateForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: services.victim_update_record(
                actor=request.user,
                case=case,
                victim=form.chosen_victim(),
                given_at=form.given_at(),
                method=data["method"],
                about=data["about"],
            ),
            form=form,
            success="Update recorded.",
        ):
            return redirect("justice:case", case_id=case.public_id)
    arrangements = [
        (
            link.victim.person.full_name,
            getattr(getattr(link.victim, "confidential", None), "safe_contact_arrangements", ""),
        )
        for link in case.case_victims.select_related("victim__person", "victim__confidential")
    ]
    return render(
        request, "justice/victim_update_form.html", {"case": case, "form": form, "arrangements": arrangements}
    )
