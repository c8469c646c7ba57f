"""Operations pages: the list of the force's operations, setting one up, changing it, and the cases
in it. For the lead force's supervisors (`cases.manage_operations`)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from dacrre.audit.access import Shown, rows_listed
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.paging import page_of
from dacrre.core.service_calls import attempt

from . import operation_services
from .access.rules import can_manage_operations
from .models import Case, Operation
from .operation_forms import OperationCaseForm, OperationForm
from .selectors import case_list_annotated, cases_visible_to


def _guard(request: AuthenticatedHttpRequest) -> None:
    if not can_manage_operations(request.user):
        raise PermissionDenied("Operations are set up by the lead force's supervisors.")


def _operation(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> Operation:
    """The user's force's operation (another force's answers as one that does not exist)."""
    _guard(request)
    operation = Operation.objects.filter(public_id=public_id, lead_agency_id=request.user.agency_id).first()
    if operation is None:
        raise Http404("No such operation.")
    return operation


@login_required
def operation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _guard(request)
    operations = list(
        Operation.objects.filter(lead_agency_id=request.user.agency_id)
        .annotate(case_count=Count("cases", distinct=True))
        .prefetch_related("areas")
        .order_by("-starts_on", "name")
    )
    return render(request, "cases/operations.html", {"operations": operations})


@login_required
@form_view
def operation_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    _guard(request)
    form = OperationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = attempt(
            request,
            lambda: operation_services.operation_set_up(
                actor=request.user,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                areas=form.chosen_areas(),
                description=data["description"],
            ),
            form=form,
            success=f"Operation {data['name']} set up.",
        )
        if made:
            return redirect("cases:operation_detail", public_id=made.value.public_id)  # type: ignore[union-attr]
    return render(request, "cases/operation_form.html", {"form": form, "heading": "Set up an operation"})


@login_required
@form_view
def operation_edit(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    operation = _operation(request, public_id)
    initial = {
        "name": operation.name,
        "description": operation.description,
        "starts_on": operation.starts_on.strftime("%d/%m/%Y"),
        "ends_on": operation.ends_on.strftime("%d/%m/%Y") if operation.ends_on else "",
        "areas": [str(pk) for pk in operation.areas.values_list("pk", flat=True)],
        "is_active": operation.is_active,
    }
    form = OperationForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changed = attempt(
            request,
            lambda: operation_services.operation_change(
                actor=request.user,
                operation=operation,
                name=data["name"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                areas=form.chosen_areas(),
                description=data["description"],
                is_active=data["is_active"],
            ),
            form=form,
            success="Operation saved.",
        )
        if changed:
            return redirect("cases:operation_detail", public_id=operation.public_id)
    return render(
        request, "cases/operation_form.html", {"form": form, "operation": operation, "heading": f"Change {operation}"}
    )


@login_required
def operation_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The operation, and the cases in it that the user sees (paged: ids first)."""
    operation = _operation(request, public_id)
    page = page_of(
        cases_visible_to(request.user).filter(operation=operation).order_by("reference"),
        case_list_annotated(Case.objects.all()),
        request.GET.get("page"),
    )
    rows_listed(
        request,
        page=f"operation {operation.name}",
        detail=f"page {page.number}, {len(page.object_list)} cases listed",
        shown=[Shown("Perpetrator", case.perpetrator.person, case.reference) for case in page.object_list],
    )
    return render(
        request,
        "cases/operation_detail.html",
        {"operation": operation, "areas": list(operation.areas.all()), "page": page},
    )


@login_required
@form_view
def operation_add_case(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    operation = _operation(request, public_id)
    form = OperationCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moved = attempt(
            request,
            lambda: operation_services.operation_case_move(
                actor=request.user, operation=operation, case_reference=form.cleaned_data["case_reference"]
            ),
            form=form,
        )
        if moved:
            messages.success(request, f"Case {moved.value.reference} added to {operation}.")  # type: ignore[union-attr]
            return redirect("cases:operation_detail", public_id=operation.public_id)
    return render(request, "cases/operation_add_case.html", {"form": form, "operation": operation})
