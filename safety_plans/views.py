import datetime
import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.access.rules import can_edit_safety_plan
from cases.http import case_for
from cases.selectors import child_schools_for
from dacrre.audit.models import AccessAction
from dacrre.core.exceptions import ConflictError
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt
from incidents.models import Incident
from victims.selectors import victim_confidential_on_case

from . import services
from .forms import SafetyPlanForm, SchoolNotificationForm
from .http import plan_for
from .measures import MEASURES
from .models import MeasureStatus, SafetyPlan, SchoolNotification

# What a measure's date means for each status (the plan's "When" column).
WHEN = {
    MeasureStatus.PROPOSED: "to be in place by",
    MeasureStatus.IN_PLACE: "since",
    MeasureStatus.DECLINED: "on",
    MeasureStatus.NOT_NEEDED: "decided",
}


def measure_described(stored: dict[str, str] | None) -> list[str]:
    """A measure as a version stored it ({"status": "in_place", "owner": ..., "due_on": "2026-11-20"}),
    in words: ["In place since 20 Nov 2026", "Who: Sanctuary scheme"]. Empty when not discussed."""
    if not stored or not stored.get("status"):
        return []
    try:
        status = MeasureStatus(stored["status"])
    except ValueError:
        return [stored["status"]]
    first = status.label
    if stored.get("due_on"):
        day = datetime.date.fromisoformat(stored["due_on"])
        first += f" {WHEN[status]} {day:%-d %b %Y}"
    return [first, *([f"Who: {stored['owner']}"] if stored.get("owner") else [])]


def _initial(plan: SafetyPlan, safe_contact: str | None) -> dict[str, Any]:
    initial: dict[str, Any] = {"version": plan.version}
    for measure in plan.measures.all():
        initial[f"{measure.key}-status"] = measure.status
        initial[f"{measure.key}-owner"] = measure.owner
        initial[f"{measure.key}-due_on"] = measure.due_on.strftime("%d/%m/%Y") if measure.due_on else ""
    if safe_contact is not None:
        initial["safe_contact"] = safe_contact
    return initial


def _safe_contact(request: AuthenticatedHttpRequest, plan: SafetyPlan) -> str | None:
    """The safe-contact arrangements as saved now, for a user who may see them (None otherwise)."""
    details = victim_confidential_on_case(request.user, plan.case, plan.victim)
    return None if details is None else details.safe_contact_arrangements


def _conflict(plan: SafetyPlan, started_from: int, safe_contact: str | None) -> dict[str, Any]:
    """What the versions saved since the user opened the plan changed, for the conflict page."""
    newer = list(plan.versions.filter(number__gt=started_from).select_related("saved_by").order_by("number"))
    base = plan.versions.filter(number=started_from).first() if started_from else None
    before = base.measures if base else {}
    after = newer[-1].measures if newer else {}
    changed = [m for m in MEASURES if before.get(m.key) != after.get(m.key)]
    return {
        "started_from": started_from,
        "versions": newer,
        "changed": [m.label for m in changed],
        "changed_keys": {m.key for m in changed},
        # Only for a user who may see the arrangements (None otherwise).
        "safe_contact": safe_contact
        if safe_contact is not None and any(v.safe_contact_changed for v in newer)
        else None,
    }


def _saved_first(
    request: AuthenticatedHttpRequest, plan: SafetyPlan, form: SafetyPlanForm, exc: ConflictError
) -> tuple[SafetyPlanForm, dict[str, Any], dict[str, Any]]:
    """Someone saved the plan since the user opened it: the form again with their text, the measures
    as saved now and what the newer versions changed."""
    started_from = form.cleaned_data["version"]
    with_safe_contact = plan.safe_contact is not None  # type: ignore[attr-defined]
    plan.refresh_from_db()
    current = {m.key: m for m in plan.measures.all()}
    safe_contact = _safe_contact(request, plan) if with_safe_contact else None  # as saved now
    conflict = _conflict(plan, started_from, safe_contact)
    # The user's text stays; the form now names the version they have seen, so saving
    # again saves over it (instead of another 409 against the version they started from).
    data = request.POST.copy()
    data["version"] = str(plan.version)
    data["saved_over"] = str(plan.version)
    form = SafetyPlanForm(data, initial=_initial(plan, safe_contact), with_safe_contact=with_safe_contact)
    form.is_valid()
    form.add_error(None, exc.message)
    return form, current, conflict


@login_required
@form_view
def safety_plan(request: AuthenticatedHttpRequest, case_id: uuid.UUID, victim_id: uuid.UUID) -> HttpResponse:
    case, plan = plan_for(request, case_id, victim_id, what="Safety plan page", safe_contact=True)
    user = request.user
    safe_contact: str | None = plan.safe_contact  # type: ignore[attr-defined]
    with_safe_contact = safe_contact is not None
    can_edit = can_edit_safety_plan(user, case)
    form = SafetyPlanForm(
        request.POST or None, initial=_initial(plan, safe_contact), with_safe_contact=with_safe_contact
    )
    status, current, conflict = 200, None, None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        saved = form.is_valid() and attempt(
            request,
            lambda: services.safety_plan_save(
                actor=user,
                plan=plan,
                expected_version=form.cleaned_data["version"],
                measures=form.measures(),
                safe_contact=form.cleaned_data.get("safe_contact") if with_safe_contact else None,
                saved_over=form.cleaned_data.get("saved_over"),
            ),
            form=form,
            success="Safety plan saved.",
        )
        if saved:
            return redirect("safety_plans:plan", case_id=case.public_id, victim_id=plan.victim.public_id)
        if saved is not False and isinstance(saved.error, ConflictError):
            form, current, conflict = _saved_first(request, plan, form, saved.error)
            status = 409
    return render(
        request,
        "safety_plans/plan.html",
        {
            "case": case,
            "plan": plan,
            "form": form,
            "can_edit": can_edit,
            "current": current,
            "conflict": conflict,
            "measures": {m.key: m for m in plan.measures.all()},
            "labels": {m.key: m for m in MEASURES},
        },
        status=status,
    )


@login_required
def versions(request: AuthenticatedHttpRequest, case_id: uuid.UUID, victim_id: uuid.UUID) -> HttpResponse:
    case, plan = plan_for(request, case_id, victim_id, what="Versions")
    rows = list(plan.versions.select_related("saved_by"))
    changed = [
        (version, services.versions_compare(version, rows[i + 1] if i + 1 < len(rows) else None))
        for i, version in enumerate(rows)
    ]
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
    case, plan = plan_for(request, case_id, victim_id, what=f"Version {number}")
    version = plan.versions.select_related("saved_by").filter(number=number).first()
    if version is None:
        raise Http404("Version not found.")
    previous = plan.versions.filter(number__lt=number).order_by("-number").first()
    changed = set(services.versions_compare(version, previous))
    rows = [
        (
            m,
            measure_described(version.measures.get(m.key)),
            measure_described(previous.measures.get(m.key) if previous else None),
            m.key in changed,
        )
        for m in MEASURES
    ]
    return render(
        request,
        "safety_plans/version.html",
        {"case": case, "plan": plan, "version": version, "previous": previous, "rows": rows},
    )


@login_required
@form_view
def children(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The case's children: school (victim-confidential), incidents they were present at, and the
    school safeguarding notifications still to make."""
    case = case_for(
        request,
        case_id,
        what="Children and schools",
        can="cases.view_safe_contact",
        refused="Children's details are not shared with your agency.",
        action=AccessAction.VIEW_CONFIDENTIAL,
    )
    notifications = list(SchoolNotification.objects.filter(case=case).select_related("child__person", "incident"))
    form = SchoolNotificationForm(request.POST or None)
    failed = None
    if request.method == "POST":
        target = next((n for n in notifications if str(n.public_id) == request.POST.get("notification")), None)
        if target is None:
            raise Http404("Notification not found.")
        recorded = form.is_valid() and attempt(
            request,
            lambda: services.school_notification_record(actor=request.user, notification=target, **form.cleaned_data),
            form=form,
            success=f"School notification for {target.child} recorded.",
        )
        if recorded:
            return redirect("safety_plans:children", case_id=case.public_id)
        failed = target
    links = list(case.case_children.select_related("child__person"))
    schools = child_schools_for(request.user, case)
    present: dict[int, list[Incident]] = {}
    for incident in (
        Incident.objects.filter(
            perpetrator_id=case.perpetrator_id, children_present__in=[link.child_id for link in links]
        )
        .prefetch_related("children_present")
        .distinct()
    ):
        for child in incident.children_present.all():
            present.setdefault(child.pk, []).append(incident)
    return render(
        request,
        "safety_plans/children.html",
        {
            "case": case,
            "form": form if form.errors else None,
            "failed": failed,
            "rows": [
                (
                    link.child,
                    schools.get(link.child_id, ""),
                    present.get(link.child_id, []),
                )
                for link in links
            ],
            "notifications": [(n, form if failed is n else SchoolNotificationForm()) for n in notifications],
        },
    )
