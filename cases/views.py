import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.access.rules import can_break_glass, can_see_shared_caseload, can_set_cadences
from cases.access.services import break_glass_open
from dacrre.accounts.models import Role
from dacrre.audit.access import Shown, rows_listed
from dacrre.audit.exports import FORMATS, export_response
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.paging import page_of
from dacrre.core.service_calls import attempt

from . import transitions
from .cadence import DEFAULT_CADENCE_DAYS
from .cadence_forms import LEVELS, CadenceForm, field_name
from .forms import BreakGlassForm, ReopenForm, StatusForm
from .http import case_for, child_schools_shown
from .models import CadenceKind, CadenceRule, Case, Operation
from .panels import case_panels_for
from .selectors import (
    AccessBasis,
    case_list_annotated,
    caseload_for,
    cases_visible_to,
    chronology_for,
    shared_caseload_for,
)
from .services import operation_cadences_set

# Where each role's work is. Officers and IDVAs work from their caseload, which "/" shows directly.
HOME_OF_ROLE = {
    Role.SUPERVISOR: "oversight:team",
    Role.PARTNER_CASEWORKER: "referrals:inbox",
    Role.ANALYST: "incidents:import",
}
# Roles whose caseload also lists the cases shared with their agency (by referral or meeting).


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The start page after signing in: each role's own work (team, referral inbox, import, access log,
    administration); officers and IDVAs their caseload."""
    user = request.user
    if user.role == Role.ADMIN:
        # The admin site is for staff; an administrator without staff status has the case list.
        return redirect("admin:index" if user.is_staff else "cases:list")
    if user.role == Role.AUDITOR:
        return redirect("audit:access_log")
    if user.role == Role.DPO and user.agency_id is not None:  # the records are their agency's
        return redirect("records:reviews")
    target = HOME_OF_ROLE.get(user.role)  # type: ignore[call-overload]
    if target is not None and user.agency_id is not None:  # their pages are their agency's
        return redirect(target)
    return caseload(request)


@login_required
def caseload(request: AuthenticatedHttpRequest) -> HttpResponse:
    cases = list(caseload_for(request.user))
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        header = ["Reference", "Perpetrator", "Area", "Status", "Risk level", "Next perpetrator visit", "Risk review"]
        rows: list = [
            [c.reference, c.perpetrator.person.full_name, c.area.name, c.get_status_display()]
            + [c.get_risk_level_display(), c.next_perpetrator_visit_due, c.risk_review_due]
            for c in cases
        ]
        return export_response(request, fmt=fmt, name="my caseload", header=header, rows=rows)
    shared = None
    if can_see_shared_caseload(request.user):
        shared = page_of(
            shared_caseload_for(request.user), case_list_annotated(Case.objects.all()), request.GET.get("page")
        )
    listed = [*cases, *(shared.object_list if shared else [])]
    rows_listed(
        request,
        page="caseload",
        detail=f"{len(cases)} cases listed"
        + (f", {len(shared.object_list)} shared with the agency (page {shared.number})" if shared else ""),
        shown=_perpetrators(listed),
    )
    return render(request, "cases/caseload.html", {"cases": cases, "shared": shared, "page": shared})


def _perpetrators(cases: Iterable[Case]) -> list[Shown]:
    return [Shown("Perpetrator", case.perpetrator.person, case.reference) for case in cases]


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    queryset = cases_visible_to(request.user).order_by("reference")
    search = request.GET.get("q", "").strip()
    if search:
        queryset = queryset.filter(reference__icontains=search) | queryset.filter(
            perpetrator__person__family_name__icontains=search
        )
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        header = ["Reference", "Perpetrator", "Operation", "Area", "Status", "Risk level"]
        rows: list = [
            [
                c.reference,
                c.perpetrator.person.full_name,
                c.operation.name,
                c.area.name,
                c.get_status_display(),
                c.get_risk_level_display(),
            ]
            for c in case_list_annotated(queryset).select_related("operation")[:10000]
        ]
        return export_response(request, fmt=fmt, name="cases", header=header, rows=rows)
    page = page_of(queryset, case_list_annotated(Case.objects.all()), request.GET.get("page"))
    rows_listed(
        request,
        page="case list",
        detail=f"search {search!r}, page {page.number}, {len(page.object_list)} cases listed",
        shown=_perpetrators(page.object_list),
    )
    return render(
        request,
        "cases/case_list.html",
        {"page": page, "search": search, "can_break_glass": can_break_glass(request.user)},
    )


@login_required
def case_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    case = case_for(request, public_id, what="Case page", people=True)
    schools = child_schools_shown(request, case)
    context = {
        "case": case,
        "case_victims": case.victims_shown,  # type: ignore[attr-defined]
        "case_children": [(link, schools.get(link.child_id, "")) for link in case.children_shown],  # type: ignore[attr-defined]
        "chronology": list(chronology_for(user, case)[:200]),
        "break_glass": case.access_basis is AccessBasis.BREAK_GLASS,  # type: ignore[attr-defined]
        "panels": case_panels_for(user, case),
    }
    return render(request, "cases/case_detail.html", context)


@login_required
@form_view
def break_glass(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_break_glass(request.user):
        raise PermissionDenied
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        opened = attempt(
            request,
            lambda: break_glass_open(
                user=request.user,
                case_reference=form.cleaned_data["case_reference"],
                reason=form.cleaned_data["reason"],
                request=request,
            ),
            form=form,
        )
        if opened:
            return redirect("cases:detail", public_id=opened.value.public_id)  # type: ignore[union-attr]
    return render(request, "cases/break_glass.html", {"form": form, "break_glass_hours": settings.BREAK_GLASS_HOURS})


@login_required
@form_view
def operation_cadences(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The operation's cadences (visits, risk reviews, safety-plan reviews by risk level), edited by
    the lead force's supervisors."""
    if not can_set_cadences(request.user):
        raise PermissionDenied("Cadences are set by the lead force's supervisors.")
    operation = Operation.objects.filter(public_id=public_id, lead_agency_id=request.user.agency_id).first()
    if operation is None:
        raise Http404("No such operation.")
    current = {(r.kind, r.risk_level): r.days for r in CadenceRule.objects.filter(operation=operation)}
    form = CadenceForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        days = {
            (kind.value, level.value): form.cleaned_data[field_name(kind, level)]
            for kind in CadenceKind
            for level in LEVELS
        }
        saved = attempt(
            request, lambda: operation_cadences_set(actor=request.user, operation=operation, days=days), form=form
        )
        if saved:
            messages.success(
                request, f"Cadences saved ({saved.value} changed). Cases use them from their next visit or review."
            )
            return redirect("cases:operation_cadences", public_id=operation.public_id)
    rows = [
        (kind, [(level, form[field_name(kind, level)], DEFAULT_CADENCE_DAYS[kind][level]) for level in LEVELS])
        for kind in CadenceKind
    ]
    return render(request, "cases/operation_cadences.html", {"operation": operation, "form": form, "rows": rows})


@login_required
@form_view
def case_status(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Move the case between identified, active and under review, with a reason."""
    case = case_for(request, public_id, what="Status change", can="cases.change_status", writing=True)
    moves = transitions.moves_for(request.user, case)
    form = StatusForm(request.POST or None, moves=moves)
    if request.method == "POST" and form.is_valid():
        moved = attempt(
            request,
            lambda: transitions.case_transition(
                actor=request.user,
                case=case,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
            ),
            form=form,
        )
        if moved:
            messages.success(request, f"Case {case.reference} is now {moved.value.get_status_display().lower()}.")  # type: ignore[union-attr]
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/case_status.html", {"case": case, "form": form})


@login_required
@form_view
def case_reopen(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """A supervisor of the owning force reopens a closed case, with a reason."""
    case = case_for(request, public_id, what="Reopen case", can="cases.reopen")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reopened = attempt(
            request,
            lambda: transitions.case_reopen(actor=request.user, case=case, reason=form.cleaned_data["reason"]),
            form=form,
            success=f"Case {case.reference} reopened: it is active again.",
        )
        if reopened:
            return redirect("cases:detail", public_id=case.public_id)
    return render(request, "cases/case_reopen.html", {"case": case, "form": form})
