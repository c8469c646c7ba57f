import uuid

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cases.http import case_for
from dacrre.accounts.predicates import can, require
from dacrre.audit.access import rows_listed
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from . import services
from .forms import EvidenceForm, FundForm, IssueForm, ItemForm, ReturnForm
from .http import issue_for
from .models import EquipmentItem, ItemStatus
from .selectors import cases_seen_among, funds_for, register_agency_id, register_for, stock_per_fund


@login_required
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The agency's register: every item, where it is (a case reference, never a name or an address),
    and stock and spend per fund."""
    items = list(register_for(request.user))
    rows_listed(request, page="equipment register", detail=f"{len(items)} items listed")
    return render(
        request,
        "equipment/register.html",
        {
            "items": items,
            "cases_seen": cases_seen_among(request.user, items),
            "funds": stock_per_fund(register_agency_id(request.user)),
        },
    )


@login_required
@form_view
def fund_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, "equipment.manage_register")
    form = FundForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.fund_create(actor=request.user, name=form.cleaned_data["name"]),
            form=form,
            success="Fund added.",
        )
    ):
        return redirect("equipment:register")
    return render(request, "equipment/fund_form.html", {"form": form})


@login_required
@form_view
def item_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(request.user, "equipment.manage_register")
    funds = list(funds_for(request.user))
    form = ItemForm(request.POST or None, funds=funds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        added = attempt(
            request,
            lambda: services.item_add(
                actor=request.user,
                kind=data["kind"],
                description=data["description"],
                asset_number=data["asset_number"],
                fund=form.chosen_fund(),
                cost=data["cost"],
                bought_on=data["bought_on"],
            ),
            form=form,
            success="Item added to the register.",
        )
        if added:
            return redirect("equipment:register")
    return render(request, "equipment/item_form.html", {"form": form, "funds": funds})


@login_required
@form_view
def issue_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(request, case_id, what="Equipment issue form", can="equipment.issue", writing=True)
    items = list(
        EquipmentItem.objects.filter(
            agency_id=register_agency_id(request.user), status=ItemStatus.IN_STORE
        ).select_related("fund")
    )
    measures = [
        (str(pk), f"{key.replace('_', ' ').capitalize()} ({name})")
        for pk, key, name in case.safety_plans.values_list(
            "measures__pk", "measures__key", "victim__person__given_name"
        )
        if pk is not None
    ]
    form = IssueForm(request.POST or None, case=case, items=items, measures=measures)
    if request.method == "POST" and form.is_valid():
        issued = attempt(
            request,
            lambda: services.item_issue(actor=request.user, case=case, **form.chosen()),
            form=form,
            success="Equipment issued.",
        )
        if issued:
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "equipment/issue_form.html", {"case": case, "form": form, "items": items})


@login_required
@form_view
def issue_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    issue = issue_for(request, case_id, public_id, what="Equipment", can="equipment.see_on_case")
    case = issue.case
    may_change = can(request.user, "equipment.issue", case) and issue.returned_on is None
    incidents = [
        (str(pk), f"{ref}, {when:%d %b %Y}")
        for pk, ref, when in case.perpetrator.incidents.values_list("pk", "source_reference", "occurred_at")[:50]
    ]
    breaches = [
        (str(b.pk), f"Breach of {b.order.get_kind_display()} on {b.occurred_on:%d %b %Y}")
        for order in case.orders.prefetch_related("breaches__order")
        for b in order.breaches.all()
    ]
    form = EvidenceForm(request.POST or None, incidents=incidents, breaches=breaches)
    if request.method == "POST":
        require(request.user, "equipment.issue", case)
        if form.is_valid():
            data = form.cleaned_data
            if attempt(
                request,
                lambda: services.evidence_record(
                    actor=request.user,
                    issue=issue,
                    obtained_on=data["obtained_on"],
                    description=data["description"],
                    incident_id=int(data["incident"]) if data["incident"] else None,
                    breach_id=int(data["breach"]) if data["breach"] else None,
                ),
                form=form,
                success="Evidence noted.",
            ):
                return redirect("equipment:issue", case_id=case.public_id, public_id=issue.public_id)
    return render(
        request,
        "equipment/issue_detail.html",
        {
            "case": case,
            "issue": issue,
            "form": form,
            "may_change": may_change,
            "see_installation": can(request.user, "equipment.see_installation", case),
            "evidence": list(issue.evidence.select_related("incident", "breach__order", "recorded_by")),
        },
    )


@login_required
@form_view
def issue_return(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    issue = issue_for(request, case_id, public_id, what="Equipment return form", can="equipment.issue")
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: services.issue_return(
                actor=request.user,
                issue=issue,
                returned_on=data["returned_on"],
                reason=data["reason"],
                condition=data["condition"],
                write_off=data["write_off"],
            ),
            form=form,
            success=f"{issue.item} recorded as {'written off' if data['write_off'] else 'back in store'}.",
        ):
            return redirect("equipment:issue", case_id=issue.case.public_id, public_id=issue.public_id)
    return render(request, "equipment/return_form.html", {"case": issue.case, "issue": issue, "form": form})
