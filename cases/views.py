import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.access.models import BreakGlassAccess
from cases.access.rules import can_break_glass, can_see_shared_caseload, can_set_cadences
from cases.access.services import break_glass_open
from dacrre.accounts.models import Role
from dacrre.audit.exports import FORMATS, export_response
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record, access_log_record_people_shown
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from dacrre.core.form_tokens import form_view
from dacrre.core.forms import form_add_application_error
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.paging import page_of

from .cadence import DEFAULT_CADENCE_DAYS
from .cadence_forms import LEVELS, CadenceForm, field_name
from .forms import BreakGlassForm
from .http import case_or_404
from .models import CadenceKind, CadenceRule, Case, Operation
from .panels import case_panels_for
from .selectors import (
    AccessBasis,
    case_access_basis,
    case_list_annotated,
    case_victim_contact_allowed,
    caseload_for,
    cases_visible_to,
    child_schools_for,
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
    access_log_record(
        user=request.user,
        action=AccessAction.LIST,
        request=request,
        object_type="caseload",
        detail=f"{len(cases)} cases listed"
        + (f", {len(shared.object_list)} shared with the agency (page {shared.number})" if shared else ""),
    )
    _log_perpetrators_listed(request, [*cases, *(shared.object_list if shared else [])], "my caseload")
    return render(request, "cases/caseload.html", {"cases": cases, "shared": shared, "page": shared})


def _log_perpetrators_listed(request: AuthenticatedHttpRequest, cases: Iterable[Case], page: str) -> None:
    access_log_record_people_shown(
        user=request.user,
        request=request,
        action=AccessAction.LIST,
        page=page,
        people=[("Perpetrator", case.perpetrator.person, case.reference) for case in cases],
    )


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
            for c in case_list_annotated(queryset)[:10000]
        ]
        return export_response(request, fmt=fmt, name="cases", header=header, rows=rows)
    page = page_of(queryset, case_list_annotated(Case.objects.all()), request.GET.get("page"))
    access_log_record(
        user=request.user,
        action=AccessAction.LIST,
        request=request,
        object_type="case list",
        detail=f"search {search!r}, page {page.number}, {len(page.object_list)} cases listed",
    )
    _log_perpetrators_listed(request, page.object_list, "the case list")
    return render(
        request,
        "cases/case_list.html",
        {"page": page, "search": search, "can_break_glass": can_break_glass(request.user)},
    )


@login_required
def case_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    user = request.user
    case = case_or_404(user, public_id)
    basis = case_access_basis(user, case)
    break_glass_reason = ""
    if basis is AccessBasis.BREAK_GLASS:
        access = BreakGlassAccess.objects.filter(user=user, case=case).order_by("-opened_at").first()
        break_glass_reason = access.reason if access else ""
    # Written before the page is built: no log row, no page.
    access_log_record(
        user=user,
        action=AccessAction.VIEW,
        request=request,
        object_type="case",
        object_id=case.public_id,
        object_label=f"Case {case.reference}",
        case_reference=case.reference,
        person_id=case.perpetrator.person.public_id,
        person_label=case.perpetrator.person.full_name,
        detail=f"access: {basis.value}",
        reason=break_glass_reason,
        flagged_for_review=basis is AccessBasis.BREAK_GLASS,
    )
    contact_allowed = case_victim_contact_allowed(user, case)
    schools = child_schools_for(user, case.pk, contact_allowed)
    if schools:
        access_log_record(
            user=user,
            action=AccessAction.VIEW_CONFIDENTIAL,
            request=request,
            object_type="case children",
            object_id=case.public_id,
            object_label=f"Children's schools on case {case.reference}",
            case_reference=case.reference,
        )
    victims = list(case.case_victims.select_related("victim__person").order_by("victim__person__family_name"))
    children = list(case.case_children.select_related("child__person").order_by("child__person__family_name"))
    # Everyone else the page names is on the log as well: "who looked at this victim?" finds this view.
    access_log_record_people_shown(
        user=user,
        request=request,
        page=f"case {case.reference}",
        people=[("Victim", link.victim.person) for link in victims]
        + [("Child", link.child.person) for link in children],
        object_id=case.public_id,
        case_reference=case.reference,
    )
    context = {
        "case": case,
        "case_victims": victims,
        "case_children": [(link, schools.get(link.child_id, "")) for link in children],
        "chronology": list(chronology_for(user, case)[:200]),
        "break_glass": basis is AccessBasis.BREAK_GLASS,
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
        try:
            case = break_glass_open(
                user=request.user,
                case_reference=form.cleaned_data["case_reference"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(exc.message) from exc
        except ApplicationError as exc:
            form.add_error(exc.field, exc.message)
        else:
            return redirect("cases:detail", public_id=case.public_id)
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
        try:
            changed = operation_cadences_set(actor=request.user, operation=operation, days=days)
        except ApplicationError as exc:
            form_add_application_error(form, exc)
        else:
            messages.success(
                request, f"Cadences saved ({changed} changed). Cases use them from their next visit or review."
            )
            return redirect("cases:operation_cadences", public_id=operation.public_id)
    rows = [
        (kind, [(level, form[field_name(kind, level)], DEFAULT_CADENCE_DAYS[kind][level]) for level in LEVELS])
        for kind in CadenceKind
    ]
    return render(request, "cases/operation_cadences.html", {"operation": operation, "form": form, "rows": rows})
