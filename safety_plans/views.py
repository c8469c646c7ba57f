import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.models import Case
from cases.selectors import case_get_for
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.exceptions import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.permissions.rules import can_edit_safety_plan, can_view_safe_contact, can_view_safety_plan
from victims.models import Victim, VictimConfidential

from . import services
from .forms import SafetyPlanForm
from .measures import MEASURES
from .models import SafetyPlan


def _plan(request: AuthenticatedHttpRequest, case_id: uuid.UUID, victim_id: uuid.UUID) -> tuple[Case, SafetyPlan]:
    try:
        case = case_get_for(request.user, case_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    victim = Victim.objects.filter(public_id=victim_id, case_links__case=case).select_related("person").first()
    if victim is None:
        raise Http404("Victim not found on this case.")
    if not can_view_safety_plan(request.user, case):
        raise PermissionDenied("Safety plans are not shared with your agency.")
    return case, services.safety_plan_for(case=case, victim=victim)


def _initial(plan: SafetyPlan, safe_contact: str | None) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": plan.version}
    for measure in plan.measures.all():
        initial[f"{measure.key}-status"] = measure.status
        initial[f"{measure.key}-owner"] = measure.owner
        initial[f"{measure.key}-due_on"] = measure.due_on.strftime("%d/%m/%Y") if measure.due_on else ""
    if safe_contact is not None:
        initial["safe_contact"] = safe_contact
    return initial


@login_required
def safety_plan(request: AuthenticatedHttpRequest, case_id: uuid.UUID, victim_id: uuid.UUID) -> HttpResponse:
    case, plan = _plan(request, case_id, victim_id)
    user = request.user
    with_safe_contact = can_view_safe_contact(user, case)
    safe_contact = None
    if with_safe_contact:
        safe_contact = (
            VictimConfidential.objects.filter(victim=plan.victim)
            .values_list("safe_contact_arrangements", flat=True)
            .first()
            or ""
        )
    access_log_record(
        user=user,
        action=AccessAction.VIEW_CONFIDENTIAL if with_safe_contact else AccessAction.VIEW,
        request=request,
        object_type="safety plan",
        object_id=plan.public_id,
        object_label=str(plan),
        case_reference=case.reference,
        person_id=plan.victim.person.public_id,
        person_label=plan.victim.person.full_name,
    )
    can_edit = can_edit_safety_plan(user, case)
    form = SafetyPlanForm(
        request.POST or None, initial=_initial(plan, safe_contact), with_safe_contact=with_safe_contact
    )
    status, current = 200, None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.safety_plan_save(
                    actor=user,
                    plan=plan,
                    expected_version=form.cleaned_data["version"],
                    measures=form.measures(),  # type: ignore[arg-type]
                    safe_contact=form.cleaned_data.get("safe_contact") if with_safe_contact else None,
                )
            except PermissionDeniedError as exc:
                raise PermissionDenied(exc.message) from exc
            except ConflictError as exc:
                form.add_error(None, exc.message)
                plan.refresh_from_db()
                current = {m.key: m for m in plan.measures.all()}
                status = 409
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, "Safety plan saved.")
                return redirect("safety_plans:plan", case_id=case.public_id, victim_id=plan.victim.public_id)
    return render(
        request,
        "safety_plans/plan.html",
        {
            "case": case,
            "plan": plan,
            "form": form,
            "can_edit": can_edit,
            "current": current,
            "measures": {m.key: m for m in plan.measures.all()},
            "labels": {m.key: m for m in MEASURES},
        },
        status=status,
    )


@login_required
def versions(request: AuthenticatedHttpRequest, case_id: uuid.UUID, victim_id: uuid.UUID) -> HttpResponse:
    case, plan = _plan(request, case_id, victim_id)
    rows = list(plan.versions.select_related("saved_by"))
    changed = [
        (version, services.versions_compare(version, rows[i + 1] if i + 1 < len(rows) else None))
        for i, version in enumerate(rows)
    ]
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="safety plan",
        object_id=plan.public_id,
        object_label=f"Versions of {plan}",
        case_reference=case.reference,
    )
    labels = {m.key: m.label for m in MEASURES}
    return render(
        request,
        "safety_plans/versions.html",
        {
            "case": case,
            "plan": plan,
            "rows": [(version, [labels[key] for key in keys]) for version, keys in changed],
        },
    )


@login_required
def version_detail(
    request: AuthenticatedHttpRequest, case_id: uuid.UUID, victim_id: uuid.UUID, number: int
) -> HttpResponse:
    case, plan = _plan(request, case_id, victim_id)
    version = plan.versions.select_related("saved_by").filter(number=number).first()
    if version is None:
        raise Http404("Version not found.")
    previous = plan.versions.filter(number__lt=number).order_by("-number").first()
    changed = set(services.versions_compare(version, previous))
    access_log_record(
        user=request.user,
        action=AccessAction.VIEW,
        request=request,
        object_type="safety plan",
        object_id=plan.public_id,
        object_label=f"{version}",
        case_reference=case.reference,
    )
    rows = [
        (m, version.measures.get(m.key), (previous.measures.get(m.key) if previous else None), m.key in changed)
        for m in MEASURES
    ]
    return render(
        request,
        "safety_plans/version.html",
        {"case": case, "plan": plan, "version": version, "previous": previous, "rows": rows},
    )
