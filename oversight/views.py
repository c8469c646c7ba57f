import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from cases.http import case_for
from cases.models import Case, Operation, RiskLevel
from dacrre.accounts.models import Area, User
from dacrre.audit.access import Shown, rows_listed
from dacrre.audit.exports import FORMATS, export_response
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError
from dacrre.core.form_tokens import form_view
from dacrre.core.forms import form_add_application_error
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt

from . import services, staffing, transfers
from .forms import (
    ClosureDecisionForm,
    ClosureRequestForm,
    MoveCaseloadForm,
    ReallocateForm,
    StaffForm,
    TransferDecisionForm,
    TransferRequestForm,
)
from .models import CaseClosureRequest, CaseTransfer, ClosureStatus
from .rules import can_decide_transfers, can_manage_team, staffing_fields_for
from .selectors import (
    SORTS,
    cases_held_by,
    closure_checks_for,
    recently_closed_for,
    team_caseload,
    team_of,
    team_unassigned,
)


def _require_supervisor(request: AuthenticatedHttpRequest) -> None:
    if not can_manage_team(request.user):
        raise PermissionDenied("Team pages are for supervisors.")


def _pick(items: list, public_id: str | None) -> object | None:
    return next((item for item in items if str(item.public_id) == public_id), None)


@login_required
def team(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_supervisor(request)
    user = request.user
    areas = list(Area.objects.filter(agency=user.agency)) if user.scope == "agency" else []
    operations = list(Operation.objects.filter(lead_agency_id=user.agency_id, is_active=True))
    area = _pick(areas, request.GET.get("area"))
    operation = _pick(operations, request.GET.get("operation"))
    risk = request.GET.get("risk") if request.GET.get("risk") in RiskLevel.values else None
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    members = list(
        team_caseload(
            user,
            area_id=area.pk if area else None,  # type: ignore[attr-defined]
            operation_id=operation.pk if operation else None,  # type: ignore[attr-defined]
            risk_level=risk,
            sort=sort,
        )
    )
    unassigned = team_unassigned(
        user,
        area_id=area.pk if area else None,  # type: ignore[attr-defined]
        operation_id=operation.pk if operation else None,  # type: ignore[attr-defined]
        risk_level=risk,
    )
    pending = CaseClosureRequest.objects.filter(
        status=ClosureStatus.PENDING, case__in=services.cases_in_scope_of(user).values("pk")
    ).count()
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        header = ["Name", "Role", "Open cases", "High risk", "Overdue visits", "Overdue reviews", "Referrals awaiting"]
        counts = ["open_cases", "high_risk_cases", "overdue_visits", "overdue_reviews", "referrals_awaiting"]
        rows: list = [
            [m.get_full_name() or m.username, m.get_role_display(), *(getattr(m, name) for name in counts)]
            for m in members
        ]
        rows.append(["Not assigned", "", "", "", unassigned["overdue_visits"], unassigned["overdue_reviews"], ""])
        return export_response(request, fmt=fmt, name="team caseload", header=header, rows=rows)
    rows_listed(request, page="team caseload", detail=f"{len(members)} team members listed")
    query = request.GET.copy()
    query.pop("sort", None)
    return render(
        request,
        "oversight/team.html",
        {
            "members": members,
            "unassigned": unassigned,
            "areas": areas,
            "operations": operations,
            "area": area,
            "operation": operation,
            "risk": risk,
            "risks": RiskLevel.choices,
            "sort": sort,
            "filters": query.urlencode(),
            "pending_closures": pending,
            "pending_transfers": transfers.transfers_awaiting(user).count(),
        },
    )


def _seen_holders(request: AuthenticatedHttpRequest, field: str, cases: list[Case]) -> dict[int, int | None]:
    """The holder of `field` the supervisor saw on each case (the page sends it with the form)."""
    posted = {case.pk: request.POST.get(f"seen-{field}-{case.public_id}") for case in cases}
    public_ids = set()
    for value in posted.values():
        try:
            public_ids.add(uuid.UUID(value or ""))
        except ValueError:
            continue
    users = dict(User.objects.filter(public_id__in=public_ids).values_list("public_id", "pk"))
    seen: dict[int, int | None] = {}
    for pk, value in posted.items():
        if value is None:
            continue  # not sent: nothing to compare with
        try:
            seen[pk] = users.get(uuid.UUID(value)) if value else None
        except ValueError:
            seen[pk] = None
    return seen


def _reallocated(request: AuthenticatedHttpRequest, result: services.Reallocation, what: str) -> None:
    if result.moved:
        count = len(result.moved)
        messages.success(request, f"{count} {what}{'s' if count != 1 else ''} reallocated.")
    for conflict in result.conflicts:
        messages.warning(request, conflict)


def _perpetrators(cases: list[Case]) -> list[Shown]:
    return [Shown("Perpetrator", case.perpetrator.person, case.reference) for case in cases]


def _roles_held(person: User, cases: list[Case]) -> list[tuple[str, int]]:
    """How many of the cases the person holds in each role, for the confirmation."""
    counts = [
        (label, sum(1 for case in cases if getattr(case, f"{field}_id") == person.pk))
        for field, (label, _roles) in services.HOLDER_FIELDS.items()
    ]
    return [(label, count) for label, count in counts if count]


@login_required
@form_view
def holder(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """One person's open cases in the team: reallocate some, or move the whole caseload (leave)."""
    _require_supervisor(request)
    user = request.user
    person = team_of(user).filter(public_id=public_id).first()
    if person is None:
        raise Http404("Not in your team.")
    colleagues = team_of(user).exclude(pk=person.pk).order_by("last_name", "first_name")
    cases = list(cases_held_by(user, person))
    reallocate = ReallocateForm(
        request.POST if request.POST.get("action") == "reallocate" else None, colleagues=colleagues
    )
    # Its own ids: the two forms are on one page and share field names.
    move = MoveCaseloadForm(
        request.POST if request.POST.get("action") == "move" else None, colleagues=colleagues, auto_id="move-%s"
    )
    chosen = set(request.POST.getlist("case"))
    if request.method == "POST" and request.POST.get("action") == "reallocate" and reallocate.is_valid():
        # The ticked cases as they are now, even those another supervisor has just moved away from this
        # person: the service compares each with what this page showed and says who changed it.
        ticked = [public_id for public_id in map(_uuid_or_none, chosen) if public_id is not None]
        picked = list(services.cases_in_scope_of(user).filter(public_id__in=ticked)) if ticked else []
        field = reallocate.cleaned_data["field"]
        moved = attempt(
            request,
            lambda: services.cases_reallocate(
                actor=user,
                cases=picked,
                field=field,
                to_user=reallocate.cleaned_data["to_user"],
                reason=reallocate.cleaned_data["reason"],
                seen_holders=_seen_holders(request, field, picked),
            ),
            form=reallocate,
        )
        if moved:
            _reallocated(request, moved.value, "case")  # type: ignore[arg-type]
            return redirect("oversight:holder", public_id=person.public_id)
    if request.method == "POST" and request.POST.get("action") == "move" and move.is_valid():
        if request.POST.get("confirmed") != "yes":
            # A whole caseload at once: say what will happen and ask again before doing it.
            return render(
                request,
                "oversight/move_confirm.html",
                {"person": person, "cases": cases, "move": move, "roles": _roles_held(person, cases)},
            )
        moved = attempt(
            request,
            lambda: services.caseload_move(
                actor=user, from_user=person, to_user=move.cleaned_data["to_user"], reason=move.cleaned_data["reason"]
            ),
            form=move,
        )
        if moved:
            _reallocated(request, moved.value, "case role")  # type: ignore[arg-type]
            return redirect("oversight:team")
    rows_listed(
        request,
        page=f"caseload of {person.get_full_name() or person.username}",
        detail=f"{len(cases)} cases listed",
        shown=_perpetrators(cases),
    )
    return render(
        request,
        "oversight/holder.html",
        {"person": person, "cases": cases, "reallocate": reallocate, "move": move, "chosen": chosen},
    )


@login_required
@form_view
def closures(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_supervisor(request)
    user = request.user
    in_scope = CaseClosureRequest.objects.filter(case__in=services.cases_in_scope_of(user).values("pk"))
    pending = list(
        in_scope.filter(status=ClosureStatus.PENDING).select_related("case__perpetrator__person", "requested_by")
    )
    forms = {item.pk: ClosureDecisionForm(prefix=f"c{item.pk}") for item in pending}
    if request.method == "POST":
        item = next((i for i in pending if str(i.public_id) == request.POST.get("request")), None)
        if item is None:
            # Decided by another supervisor since this page was shown: say by whom.
            posted = _uuid_or_none(request.POST.get("request"))
            done = in_scope.filter(public_id=posted).select_related("case", "decided_by").first() if posted else None
            if done is None:
                raise Http404("No such request awaiting a decision.")
            messages.info(request, services.closure_decided_message(done))
            return redirect("oversight:closures")
        form = ClosureDecisionForm(request.POST, prefix=f"c{item.pk}")
        forms[item.pk] = form
        if form.is_valid():
            try:
                services.closure_decide(
                    actor=user,
                    request=item,
                    approve=form.cleaned_data["decision"] == "approve",
                    comments=form.cleaned_data["comments"],
                )
            except InvalidTransitionError as exc:
                # Decided by someone else a moment before (a closed case, too, means decided):
                # said as information, back on the list, which attempt() would not do.
                messages.info(request, exc.message)
                return redirect("oversight:closures")
            except ApplicationError as exc:
                form_add_application_error(form, exc)
            else:
                messages.success(request, f"Decision recorded for case {item.case.reference}.")
                return redirect("oversight:closures")
    blockers = services.closure_blockers_for(item.case_id for item in pending)
    checks = closure_checks_for(item.case_id for item in pending)
    recently_closed = list(recently_closed_for(user))
    rows_listed(
        request,
        page="closure requests",
        detail=f"{len(pending)} awaiting a decision, {len(recently_closed)} recently closed",
        shown=_perpetrators([*(item.case for item in pending), *recently_closed]),
    )
    return render(
        request,
        "oversight/closures.html",
        {
            "items": [(i, forms[i.pk], blockers.get(i.case_id, []), checks[i.case_id]) for i in pending],
            "recently_closed": recently_closed,
        },
    )


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value or "")
    except ValueError:
        return None


@login_required
@form_view
def closure_request(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(
        request,
        case_id,
        what="Closure request form",
        can="oversight.request_closure",
        refused="Only the case's holders or its supervisors can ask for it to be closed.",
        writing=True,
    )
    pending = services.closure_pending_for(case)
    if pending is not None:
        messages.info(request, services.already_requested_message(pending))
        return redirect("cases:detail", public_id=case.public_id)
    form = ClosureRequestForm(request.POST or None)
    requested = (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: services.closure_request(actor=request.user, case=case, reason=form.cleaned_data["reason"]),
            form=form,
            success="Closure requested: a supervisor will approve it or return it with comments.",
        )
    )
    if requested:
        return redirect("cases:detail", public_id=case.public_id)
    return render(
        request,
        "oversight/closure_request.html",
        {"case": case, "form": form, "blockers": services.closure_blockers(case)},
    )


def _seen_holder(value: str) -> int | None:
    public_id = _uuid_or_none(value)
    if public_id is None:
        return None
    return User.objects.filter(public_id=public_id).values_list("pk", flat=True).first()


@login_required
@form_view
def staff(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Allocate or change the case's SPOC, offender manager and IDVA, each with a reason."""
    user = request.user
    case = case_for(request, case_id, what="Staffing", can="oversight.staff_case", writing=True)
    posted = request.POST.get("field") if request.method == "POST" else None
    forms = {}
    for field in staffing_fields_for(user, case):
        label = services.HOLDER_FIELDS[field][0]
        people = staffing.holder_candidates(user, case, field).order_by("last_name", "first_name", "pk")
        holder = getattr(case, field)
        forms[field] = StaffForm(
            request.POST if posted == field else None,
            fields=[(field, label)],
            people=people,
            auto_id=f"{field}-%s",
            initial={"field": field, "seen": str(holder.public_id) if holder else ""},
        )
    form = forms.get(posted or "")
    if form is not None and form.is_valid():
        data = form.cleaned_data
        done = attempt(
            request,
            lambda: staffing.case_staff(
                actor=user,
                case=case,
                field=data["field"],
                to_user=data["to_user"],
                reason=data["reason"],
                seen_holder=_seen_holder(data["seen"]),
            ),
            form=form,
        )
        if done:
            label = services.HOLDER_FIELDS[data["field"]][0]
            messages.success(request, f"{label[0].upper()}{label[1:]} allocated: {services._name(data['to_user'])}.")
            return redirect("cases:detail", public_id=case.public_id)
    rows = [(field, services.HOLDER_FIELDS[field][0], getattr(case, field), form) for field, form in forms.items()]
    return render(request, "oversight/staff.html", {"case": case, "rows": rows})


@login_required
@form_view
def transfer_request(request: AuthenticatedHttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = case_for(request, case_id, what="Transfer request", can="oversight.request_transfer", writing=True)
    pending = transfers.transfer_pending_for(case)
    if pending is not None:
        messages.info(request, f"A transfer of this case to {pending.to_area} is already awaiting a decision.")
        return redirect("cases:detail", public_id=case.public_id)
    form = TransferRequestForm(request.POST or None, areas=transfers.transfer_destinations(case))
    if request.method == "POST" and form.is_valid():
        sent = attempt(
            request,
            lambda: transfers.transfer_request(
                actor=request.user, case=case, to_area=form.cleaned_data["to_area"], reason=form.cleaned_data["reason"]
            ),
            form=form,
            success="Transfer requested: a supervisor of the receiving team will accept or decline it.",
        )
        if sent:
            return redirect("cases:detail", public_id=case.public_id)
    return render(
        request,
        "oversight/transfer_request.html",
        {"case": case, "form": form, "read_access_days": settings.TRANSFER_READ_ACCESS_DAYS},
    )


@login_required
@form_view
def transfers_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cases transferred to the supervisor's force (or area): accept or decline each."""
    if not can_decide_transfers(request.user):
        raise PermissionDenied("Transfers are decided by a force's supervisors.")
    pending = list(transfers.transfers_awaiting(request.user).select_related("case__perpetrator__person"))
    forms = {item.pk: TransferDecisionForm(prefix=f"t{item.pk}") for item in pending}
    if request.method == "POST":
        item = next((i for i in pending if str(i.public_id) == request.POST.get("transfer")), None)
        if item is None:
            posted = _uuid_or_none(request.POST.get("transfer"))
            done = (
                CaseTransfer.objects.filter(public_id=posted, to_agency_id=request.user.agency_id)
                .select_related("case", "decided_by")
                .first()
                if posted
                else None
            )
            if done is None:
                raise Http404("No such transfer awaiting a decision.")
            messages.info(request, transfers.transfer_decided_message(done))
            return redirect("oversight:transfers")
        form = TransferDecisionForm(request.POST, prefix=f"t{item.pk}")
        forms[item.pk] = form
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            decided = attempt(
                request,
                lambda: transfers.transfer_decide(
                    actor=request.user, transfer=item, accept=accept, note=form.cleaned_data["note"]
                ),
                form=form,
            )
            if decided:
                what = "accepted: allocate its SPOC" if accept else "declined"
                messages.success(request, f"Transfer of case {item.case.reference} {what}.")
                if accept:
                    return redirect("oversight:staff", case_id=item.case.public_id)
                return redirect("oversight:transfers")
    rows_listed(
        request,
        page="transfers awaiting a decision",
        detail=f"{len(pending)} transfers listed",
        shown=[Shown("Perpetrator", item.case.perpetrator.person, item.case.reference) for item in pending],
    )
    return render(request, "oversight/transfers.html", {"items": [(i, forms[i.pk]) for i in pending]})
