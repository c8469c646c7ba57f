import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.models import Operation
from dacrre.accounts.models import Area
from dacrre.accounts.predicates import can, require
from dacrre.audit.access import Shown, record_for, rows_listed
from dacrre.audit.exports import FORMATS, export_response
from dacrre.core.form_tokens import form_view
from dacrre.core.http import AuthenticatedHttpRequest
from dacrre.core.service_calls import attempt
from incidents.models import OffenceCategory
from perpetrators.selectors import perpetrator_ids_visible_to

from . import selectors, services
from .forms import TaskingAssignForm, TaskingForm, TaskingResultForm
from .http import SCORES_REFUSED, scores_user, tasking_for
from .models import PerpetratorScore, ScoringSettings, TaskingSnapshot, gravity_table
from .rules import can_open_case_from_ranking
from .selectors import perpetrators_ranked, victims_repeat_counts

PAGE_SIZE = 100
DOWNLOAD_ROWS = 5000
VICTIMS_SHOWN = 5


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@login_required
def ranking(request: AuthenticatedHttpRequest) -> HttpResponse:
    user, agency = scores_user(request, SCORES_REFUSED)
    areas = list(Area.objects.filter(agency=agency))
    operations = list(Operation.objects.filter(lead_agency=agency, is_active=True))
    area = next((a for a in areas if str(a.public_id) == request.GET.get("area")), None)
    operation = next((o for o in operations if str(o.public_id) == request.GET.get("operation")), None)
    settings = ScoringSettings.current()
    # Read from the stored scores (recomputed nightly or on demand): an index scan, not a ranking.
    stored = PerpetratorScore.objects.filter(agency=agency, area=area)
    if operation is not None:
        stored = stored.filter(perpetrator__cases__operation=operation).distinct()
    ordered = stored.select_related("perpetrator__person").order_by("-total", "-gravity", "pk")
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows = list(ordered[:DOWNLOAD_ROWS])
        header = ["Rank", "Perpetrator", "Police identifier", "Total", "Latest", "Recency points"]
        header += ["Incidents", "Gravity", "Victims"]
        table: list = [
            [
                rank,
                row.perpetrator.person.full_name,
                row.perpetrator.person.police_identifier or "",
                row.total,
                row.latest.date().isoformat(),
                row.recency_points,
                row.frequency,
                row.gravity,
                row.victims_count,
            ]
            for rank, row in enumerate(rows, start=1)
        ]
        return export_response(request, fmt=fmt, name="perpetrator ranking", header=header, rows=table)
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # A name links to the perpetrator's record where the user may open it (one query for the page).
    openable = perpetrator_ids_visible_to(user, [row.perpetrator_id for row in rows])
    for rank, row in enumerate(rows, start=page.start_index()):
        row.rank = rank  # type: ignore[attr-defined]
        row.openable = row.perpetrator_id in openable  # type: ignore[attr-defined]
    computed_at = PerpetratorScore.objects.filter(agency=agency).values_list("computed_at", flat=True).first()
    # Counted as of the stored scores, so the victims match the incidents the scores were made from.
    repeats = victims_repeat_counts(
        agency=agency, perpetrator_ids=[row.perpetrator_id for row in rows], area=area, now=computed_at
    )
    for row in rows:
        victims = repeats.get(row.perpetrator_id, [])
        # The most victimised first; the rest are counted, as the breakdown already shows the total.
        row.victim_repeats = victims[:VICTIMS_SHOWN]  # type: ignore[attr-defined]
        row.victims_not_shown = len(victims) - VICTIMS_SHOWN if len(victims) > VICTIMS_SHOWN else 0  # type: ignore[attr-defined]
    rows_listed(
        request,
        page="perpetrator ranking",
        detail=f"area={area or 'all'}, operation={operation or 'all'}, page {page.number}, {len(rows)} listed",
        shown=[Shown("Perpetrator", row.perpetrator.person) for row in rows],
    )
    return render(
        request,
        "scoring/ranking.html",
        {
            "rows": rows,
            "page": page,
            "areas": areas,
            "operations": operations,
            "area": area,
            "operation": operation,
            "settings": settings,
            "gravity": [
                (OffenceCategory(code).label if code in OffenceCategory.values else code, weight)
                for code, weight in sorted(gravity_table().items(), key=lambda item: -item[1])
            ],
            "can_open": can_open_case_from_ranking(user),
            "computed_at": computed_at,
        },
    )


@login_required
@form_view
@require_POST
def open_cases(request: AuthenticatedHttpRequest) -> HttpResponse:
    user, agency = scores_user(request)
    operation_id = request.POST.get("operation_for_cases", "")
    operations = Operation.objects.filter(lead_agency=agency, is_active=True)
    operation = next((o for o in operations if str(o.public_id) == operation_id), None)
    chosen = [value for value in request.POST.getlist("perpetrator") if _is_uuid(value)]
    if operation is None or not chosen:
        messages.error(request, "Choose an operation and at least one perpetrator to open cases for.")
        return redirect("scoring:ranking")
    # Only perpetrators the ranking would show this user (their force's incidents).
    perpetrators = perpetrators_ranked(agency=agency).filter(public_id__in=chosen)
    attempt(
        request,
        lambda: services.cases_open_for_perpetrators(actor=user, operation=operation, perpetrators=list(perpetrators)),
        success=lambda result: _opened(result, operation),
    )
    return redirect("scoring:ranking")


def _opened(result: tuple[list, list], operation: Operation) -> str:
    opened, skipped = result
    text = f"{len(opened)} case{'s' if len(opened) != 1 else ''} opened in {operation}"
    if skipped:
        text += f"; {len(skipped)} already had an open case"
    return text + "."


@login_required
@form_view
def tasking(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Monthly top-N lists per area: take this month's, and compare each with the month before."""
    user, agency = scores_user(request)
    areas = list(Area.objects.filter(agency=agency))
    form = TaskingForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        taken = attempt(
            request,
            lambda: services.tasking_snapshot_take(
                actor=user, area=form.cleaned_data["area"], month=timezone.localdate(), top_n=form.cleaned_data["top_n"]
            ),
            form=form,
            success=lambda snapshot: f"{snapshot} saved.",
        )
        if taken:
            return redirect("scoring:tasking_detail", public_id=taken.value.public_id)  # type: ignore[union-attr]
    snapshots = list(TaskingSnapshot.objects.filter(agency=agency).select_related("area")[:48])
    return render(request, "scoring/tasking.html", {"form": form, "snapshots": snapshots})


@login_required
def tasking_detail(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    snapshot = tasking_for(request, public_id, what="Tasking list page")
    previous = TaskingSnapshot.objects.filter(area=snapshot.area, month__lt=snapshot.month).order_by("-month").first()
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        rows: list = [
            [e.rank, e.perpetrator.person.full_name, e.total, e.frequency, e.gravity, e.victims]
            for e in snapshot.entries.select_related("perpetrator__person")
        ]
        header = ["Rank", "Perpetrator", "Total", "Incidents", "Gravity", "Victims"]
        return export_response(request, fmt=fmt, name="tasking list", header=header, rows=rows)
    entries = list(snapshot.entries.select_related("perpetrator__person", "inspector"))
    activity = selectors.tasking_activity(snapshot, timezone.localdate())
    for entry in entries:
        entry.activity = activity[entry.pk]  # type: ignore[attr-defined]
    may_manage = can(request.user, "scoring.manage_tasking")
    return render(
        request,
        "scoring/tasking_detail.html",
        {
            "snapshot": snapshot,
            "previous": previous,
            "entries": entries,
            "comparison": services.tasking_compare(snapshot, previous),
            "may_manage": may_manage,
            "inspectors": list(services.inspectors_for(snapshot.agency_id)) if may_manage else [],
        },
    )


@login_required
@form_view
@require_POST
def refresh_scores(request: AuthenticatedHttpRequest) -> HttpResponse:
    user, agency = scores_user(request)
    stored = services.scores_refresh(agency=agency)
    messages.success(request, f"Scores recomputed: {stored:,} rows.")
    return redirect("scoring:ranking")


def _month_start_back(today: datetime.date, months: int) -> datetime.date:
    month = today.year * 12 + today.month - 1 - months
    return datetime.date(month // 12, month % 12 + 1, 1)


@login_required
@form_view
@require_POST
def tasking_inspectors(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """Save each entry's owning inspector from the list's page (conditional on what the page showed)."""
    snapshot = tasking_for(request, public_id, what="Tasking list inspectors")
    require(request.user, "scoring.manage_tasking")
    supervisors = {str(u.public_id): u.pk for u in services.inspectors_for(snapshot.agency_id)}
    entries = list(snapshot.entries.select_related("inspector"))
    known = supervisors | {str(e.inspector.public_id): e.inspector.pk for e in entries if e.inspector is not None}
    changes: dict[int, tuple[int | None, int | None]] = {}
    for entry in entries:
        field = f"inspector-{entry.rank}"
        if field not in request.POST:
            continue
        was, chosen = request.POST.get(f"was-{entry.rank}", ""), request.POST.get(field, "")
        if (was and was not in known) or (chosen and chosen not in supervisors):
            messages.error(request, "Choose one of the force's supervisors for each entry.")
            return redirect("scoring:tasking_detail", public_id=snapshot.public_id)
        changes[entry.pk] = (known[was] if was else None, supervisors[chosen] if chosen else None)
    attempt(
        request,
        lambda: services.tasking_inspectors_set(actor=request.user, snapshot=snapshot, changes=changes),
        success=lambda n: f"Inspectors saved ({n} changed).",
    )
    return redirect("scoring:tasking_detail", public_id=snapshot.public_id)


@login_required
@form_view
def tasking_entry(request: AuthenticatedHttpRequest, public_id: uuid.UUID, perpetrator_id: uuid.UUID) -> HttpResponse:
    """One entry of a list: its inspector, every tasking on it and its result, and (for the force's
    supervisors, on this month's list) the form to task an officer today."""
    snapshot = tasking_for(request, public_id, what="Tasking entry page")
    entry = (
        snapshot.entries.select_related("perpetrator__person", "inspector")
        .filter(perpetrator__public_id=perpetrator_id)
        .first()
    )
    if entry is None:
        raise Http404("Entry not found.")
    today = timezone.localdate()
    may_task = can(request.user, "scoring.manage_tasking") and (snapshot.month.year, snapshot.month.month) == (
        today.year,
        today.month,
    )
    form = TaskingAssignForm(request.POST or None, officers=list(services.officers_for(snapshot.agency_id)))
    if request.method == "POST":
        require(request.user, "scoring.manage_tasking")
        if form.is_valid():
            data = form.cleaned_data
            if attempt(
                request,
                lambda: services.tasking_assign(
                    actor=request.user,
                    entry=entry,
                    officer=form.chosen_officer(),
                    kind=data["kind"],
                    instructions=data["instructions"],
                ),
                form=form,
                success=lambda t: f"{t.officer.get_full_name()} tasked: {t.get_kind_display().lower()}.",
            ):
                return redirect("scoring:tasking_entry", public_id=snapshot.public_id, perpetrator_id=perpetrator_id)
    taskings = list(entry.taskings.select_related("officer", "tasked_by", "case"))
    rows_listed(
        request,
        page="tasking entry",
        detail=f"{snapshot}, rank {entry.rank}, {len(taskings)} taskings",
        shown=[Shown("Perpetrator", entry.perpetrator.person)],
    )
    return render(
        request,
        "scoring/tasking_entry.html",
        {
            "snapshot": snapshot,
            "entry": entry,
            "taskings": taskings,
            "form": form,
            "may_task": may_task,
            "today": today,
        },
    )


@login_required
def my_tasking(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The signed-in officer's tasking today (and earlier taskings still without a result); for the
    force's supervisors, the top-N entries they own on this month's and last month's lists."""
    require(request.user, "scoring.have_tasking")
    today = timezone.localdate()
    taskings = list(selectors.taskings_for_officer(request.user, today))
    owned = (
        list(selectors.entries_owned_by(request.user, _month_start_back(today, 1)))
        if can(request.user, "scoring.manage_tasking")
        else []
    )
    shown = [Shown("Perpetrator", t.entry.perpetrator.person) for t in taskings]
    shown += [Shown("Perpetrator", e.perpetrator.person) for e in owned]
    rows_listed(request, page="my tasking", detail=f"{len(taskings)} taskings, {len(owned)} entries owned", shown=shown)
    return render(
        request,
        "scoring/my_tasking.html",
        {
            "taskings": taskings,
            "owned": owned,
            "today": today,
            "cases_seen": selectors.case_ids_seen_among(request.user, taskings),
        },
    )


@login_required
@form_view
def tasking_result(request: AuthenticatedHttpRequest, public_id: uuid.UUID) -> HttpResponse:
    """The tasked officer records what came of a tasking."""
    require(request.user, "scoring.have_tasking")
    tasking = record_for(request, selectors.tasking_get_for, public_id, what="Tasking result form")
    form = TaskingResultForm(request.POST or None)
    if request.method == "POST" and not tasking.result and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: services.tasking_result_record(
                actor=request.user, tasking=tasking, result=data["result"], notes=data["notes"]
            ),
            form=form,
            success="Result recorded.",
        ):
            return redirect("scoring:my_tasking")
    return render(
        request,
        "scoring/tasking_result.html",
        {"tasking": tasking, "form": form, "cases_seen": selectors.case_ids_seen_among(request.user, [tasking])},
    )
