import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.access.rules import can_record_order
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
from .forms import BreachForm, OrderForm
from .models import ProtectiveOrder


def _case(request: AuthenticatedHttpRequest, case_id: uuid.UUID, *, writing: bool) -> Case:
    case = case_or_404(request.user, case_id)
    if writing and not can_record_order(request.user, case):
        raise PermissionDenied
    if writing:
        case_require_open(case, lock=False)  # a closed case is read only: back to its page with the reason
    return case


def _order(case: Case, public_id: uuid.UUID) -> ProtectiveOrder:
    order = ProtectiveOrder.objects.filter(case=case, public_id=public_id).first()
    if order is None:
        raise Http404("Order not found.")
    return order


@login_required
@form_view
def order_new(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, writing=True)
    form = OrderForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_record(
                actor=request.user,
                case=case,
                kind=data["kind"],
                reference=data["reference"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                conditions=data["conditions"],
                protected_victims=form.people()["protected_victims"],
                protected_children=form.people()["protected_children"],
                **form.timing_and_details(),  # type: ignore[arg-type]
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, f"{order.get_kind_display()} recorded.")
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "orders/form.html", {"case": case, "form": form, "heading": "Record an order or condition"})


@login_required
@form_view
def order_edit(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, writing=True)
    order = _order(case, public_id)
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
        data = form.cleaned_data
        try:
            services.order_update(
                actor=request.user,
                order=order,
                reference=data["reference"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                conditions=data["conditions"],
                protected_victims=form.people()["protected_victims"],
                protected_children=form.people()["protected_children"],
                **form.timing_and_details(),  # type: ignore[arg-type]
            )
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(request, "Order updated.")
            return redirect("orders:detail", case_id=case.public_id, public_id=order.public_id)
    return render(request, "orders/form.html", {"case": case, "order": order, "form": form, "heading": f"Vary {order}"})


@login_required
@form_view
def order_detail(request: AuthenticatedHttpRequest, case_id: uuid.UUID, public_id: uuid.UUID) -> HttpResponse:
    case = _case(request, case_id, writing=False)
    order = _order(case, public_id)
    can_record = can_record_order(request.user, case)
    form = BreachForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.order_breach_record(actor=request.user, order=order, **form.cleaned_data)
            except ApplicationError as exc:
                form_add_application_error(form, exc)
            else:
                messages.success(request, "Breach recorded.")
                return redirect("orders:detail", case_id=case.public_id, public_id=order.public_id)
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="protective order",
        object_id=order.public_id,
        object_label=str(order),
        case_reference=case.reference,
    )
    return render(
        request,
        "orders/detail.html",
        {
            "case": case,
            "order": order,
            "form": form,
            "can_record": can_record,
            "breaches": list(order.breaches.select_related("recorded_by")),
            "protected": [
                *order.protected_victims.select_related("person"),
                *order.protected_children.select_related("person"),
            ],
        },
    )
