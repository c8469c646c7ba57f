import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render

from cases.access.rules import can_record_order
from cases.http import case_for
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from . import services
from .forms import BreachForm, OrderForm
from .http import order_for


def _order_fields(form: OrderForm) -> dict[str, Any]:
    """What recording an order and varying it both take from the form."""
    data = form.cleaned_data
    return {
        "reference": data["reference"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "conditions": data["conditions"],
        **form.people(),
        **form.timing_and_details(),
    }


@login_required
@form_view
def order_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(request, case_id, what="Order form", can="cases.record_order", writing=True)
    form = OrderForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        recorded = attempt(
            request,
            lambda: services.order_record(
                actor=request.user, case=case, kind=form.cleaned_data["kind"], **_order_fields(form)
            ),
            form=form,
            success=lambda order: f"{order.get_kind_display()} recorded.",
        )
        if recorded:
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "orders/form.html", {"case": case, "form": form, "heading": "Record an order or condition"})


@login_required
@form_view
def order_edit(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case, order = order_for(request, case_id, public_id, what="Order variation", can="cases.record_order", writing=True)
    initial = {
        "kind": order.kind,
        "reference": order.reference,
        "starts_on": order.starts_on.strftime("%d/%m/%Y"),
        "ends_on": order.ends_on.strftime("%d/%m/%Y") if order.ends_on else "",
        "starts_time": order.starts_time.strftime("%H:%M") if order.starts_time else "",
        "ends_time": order.ends_time.strftime("%H:%M") if order.ends_time else "",
        "route": order.route,
        "positive_requirements": order.positive_requirements,
        "electronic_monitoring": order.electronic_monitoring,
        "conditions": order.conditions,
        "protected_victims": [str(pk) for pk in order.protected_victims.values_list("pk", flat=True)],
        "protected_children": [str(pk) for pk in order.protected_children.values_list("pk", flat=True)],
    }
    form = OrderForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = attempt(
            request,
            lambda: services.order_update(actor=request.user, order=order, **_order_fields(form)),
            form=form,
            success="Order updated.",
        )
        if updated:
            return redirect("orders:detail", case_id=case.public_id, public_id=order.public_id)
    return render(request, "orders/form.html", {"case": case, "order": order, "form": form, "heading": f"Vary {order}"})


@login_required
@form_view
def order_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case, order = order_for(request, case_id, public_id, what="Order page", people=True)
    can_record = can_record_order(request.user, case)
    form = BreachForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        recorded = form.is_valid() and attempt(
            request,
            lambda: services.order_breach_record(actor=request.user, order=order, **form.cleaned_data),
            form=form,
            success="Breach recorded.",
        )
        if recorded:
            return redirect("orders:detail", case_id=case.public_id, public_id=order.public_id)
    return render(
        request,
        "orders/detail.html",
        {
            "case": case,
            "order": order,
            "form": form,
            "can_record": can_record,
            "breaches": list(order.breaches.select_related("recorded_by")),
            "protected": order.protected_shown,  # type: ignore[attr-defined]
        },
    )
