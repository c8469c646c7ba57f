"""RFG-V ranking computed in the database: one query, correlated subqueries on the indexed
(perpetrator, occurred_at) incidents, no Python loop over people."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import Case as CaseRecord
from cases.selectors import cases_visible_among
from dacrre.accounts.models import Agency, Area, User
from dacrre.core.exceptions import NotFoundError
from incidents.models import Incident
from perpetrators.models import Perpetrator

from .models import (
    DailyTasking,
    ScoringSettings,
    TaskingEntry,
    TaskingKind,
    TaskingResult,
    TaskingSnapshot,
    VictimIncidentCount,
    gravity_table,
)
from .rules import can_manage_tasking


def perpetrators_ranked(
    *,
    agency: Agency,
    area: Area | None = None,
    operation_id: int | None = None,
    now: datetime.datetime | None = None,
    settings: ScoringSettings | None = None,
) -> QuerySet[Perpetrator]:
    """Perpetrators of the agency's recorded incidents in the look-back window, best score first
    (ties broken by gravity). Each row carries its breakdown: latest, frequency, gravity, victims,
    recency_points, total."""
    settings = settings or ScoringSettings.current()
    now = now or timezone.now()
    start = now - datetime.timedelta(days=settings.lookback_days)
    window = Incident.objects.filter(
        perpetrator_id=OuterRef("pk"), recording_agency=agency, occurred_at__gt=start, occurred_at__lte=now
    )
    if area is not None:
        window = window.filter(area=area)
    per_perpetrator = window.order_by().values("perpetrator_id")
    gravity = Case(
        *(When(offence_category=category, then=Value(weight)) for category, weight in gravity_table().items()),
        default=Value(1),
        output_field=IntegerField(),
    )
    victims = Incident.victims.through.objects.filter(
        incident__perpetrator_id=OuterRef("pk"),
        incident__recording_agency=agency,
        incident__occurred_at__gt=start,
        incident__occurred_at__lte=now,
    )
    if area is not None:
        victims = victims.filter(incident__area=area)
    recency = Case(
        *(
            When(latest__gte=now - datetime.timedelta(days=days), then=Value(points))
            for days, points in sorted(settings.recency_bands)
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    ranked = (
        Perpetrator.objects.annotate(
            frequency=Coalesce(Subquery(per_perpetrator.annotate(n=Count("pk")).values("n")[:1]), 0),
            gravity=Coalesce(Subquery(per_perpetrator.annotate(g=Sum(gravity)).values("g")[:1]), 0),
            victims_count=Coalesce(
                Subquery(
                    victims.order_by()
                    .values("incident__perpetrator_id")
                    .annotate(v=Count("victim_id", distinct=True))
                    .values("v")[:1]  # type: ignore[misc]  # the plugin misses annotations on through models
                ),
                0,
            ),
            latest=Subquery(window.order_by("-occurred_at").values("occurred_at")[:1]),
        )
        .filter(frequency__gt=0)
        .annotate(recency_points=recency)
        .annotate(
            total=ExpressionWrapper(
                Value(Decimal(settings.weight_recency)) * F("recency_points")
                + Value(Decimal(settings.weight_frequency)) * F("frequency")
                + Value(Decimal(settings.weight_gravity)) * F("gravity")
                + Value(Decimal(settings.weight_victims)) * F("victims_count"),
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )
        .select_related("person")
        .order_by("-total", "-gravity", "person__family_name")
    )
    if operation_id is not None:
        ranked = ranked.filter(cases__operation_id=operation_id).distinct()
    return ranked


@dataclass(frozen=True)
class VictimRepeat:
    """One victim of a ranked perpetrator: incidents with this perpetrator and with anyone, in the window."""

    name: str
    with_this_perpetrator: int
    with_anyone: int


def victims_repeat_counts(
    *,
    agency: Agency,
    perpetrator_ids: list[int],
    area: Area | None = None,
    now: datetime.datetime | None = None,
    settings: ScoringSettings | None = None,
) -> dict[int, list[VictimRepeat]]:
    """For the perpetrators on a page: each victim's repeat victimisation, most victimised first.
    Two queries whatever the number of rows. Pass `now` = the stored scores' time so the figures
    match them."""
    settings = settings or ScoringSettings.current()
    now = now or timezone.now()
    start = now - datetime.timedelta(days=settings.lookback_days)
    links = Incident.victims.through.objects.filter(
        incident__recording_agency=agency, incident__occurred_at__gt=start, incident__occurred_at__lte=now
    )
    if area is not None:
        links = links.filter(incident__area=area)
    pairs = list(
        links.filter(incident__perpetrator_id__in=perpetrator_ids)
        .values("incident__perpetrator_id", "victim_id", "victim__person__given_name", "victim__person__family_name")
        .annotate(n=Count("incident_id", distinct=True))
        .order_by()
    )
    # Counts by anyone come from the stored table refreshed with the scores: counting them live
    # would scan the window's incidents for every page.
    totals = dict(
        VictimIncidentCount.objects.filter(
            agency=agency, area=area, victim_id__in={pair["victim_id"] for pair in pairs}
        ).values_list("victim_id", "incidents")
    )
    found: dict[int, list[VictimRepeat]] = defaultdict(list)
    for pair in pairs:
        name = f"{pair['victim__person__given_name']} {pair['victim__person__family_name']}"
        overall = max(totals.get(pair["victim_id"], 0), pair["n"])
        found[pair["incident__perpetrator_id"]].append(VictimRepeat(name, pair["n"], overall))
    for victims in found.values():
        victims.sort(key=lambda victim: (-victim.with_this_perpetrator, victim.name))
    return dict(found)


def tasking_snapshot_get_for(user: User, public_id: uuid.UUID | str) -> TaskingSnapshot:
    """One of the user's force's tasking lists."""
    snapshot = None
    if user.agency_id is not None:
        lists = TaskingSnapshot.objects.filter(agency_id=user.agency_id).select_related("area")
        snapshot = lists.filter(public_id=public_id).first()
    if snapshot is None:
        raise NotFoundError("Tasking list not found.")
    return snapshot


def tasking_get_for(user: User, public_id: uuid.UUID | str) -> DailyTasking:
    """A tasking the user may see: their own, or any of their force's for its supervisors."""
    if user.agency_id is None:
        raise NotFoundError("Tasking not found.")
    taskings = DailyTasking.objects.filter(entry__snapshot__agency_id=user.agency_id).select_related(
        "entry__perpetrator__person", "entry__snapshot__area", "case", "officer", "tasked_by"
    )
    if not can_manage_tasking(user):
        taskings = taskings.filter(officer=user)
    try:
        found = taskings.filter(public_id=public_id).first()
    except ValidationError:
        found = None
    if found is None:
        raise NotFoundError("Tasking not found.")
    return found


def taskings_for_officer(user: User, today: datetime.date) -> QuerySet[DailyTasking]:
    """The officer's taskings for today, and earlier ones still without a result (most recent first)."""
    return (
        DailyTasking.objects.filter(officer=user)
        .filter(Q(tasked_on=today) | Q(result=""))
        .select_related("entry__perpetrator__person", "entry__snapshot__area", "case")
        .order_by("-tasked_on", "pk")
    )


def entries_owned_by(user: User, since: datetime.date) -> QuerySet[TaskingEntry]:
    """The inspector's top-N entries, on lists from `since` on."""
    if user.agency_id is None:
        return TaskingEntry.objects.none()
    return (
        TaskingEntry.objects.filter(inspector=user, snapshot__agency_id=user.agency_id, snapshot__month__gte=since)
        .select_related("perpetrator__person", "snapshot__area")
        .order_by("-snapshot__month", "snapshot__area__name", "rank")
    )


@dataclass
class EntryActivity:
    """What was done on one entry of a list: taskings by kind, results by kind of result, how many
    were tasked today and await a result, and the perpetrator's incidents since the list was saved."""

    by_kind: dict[str, int]
    by_result: dict[str, int]
    today: int
    awaiting_result: int
    incidents_since: int


def tasking_activity(snapshot: TaskingSnapshot, today: datetime.date) -> dict[int, EntryActivity]:
    """Per entry (by entry id) of the list: three queries whatever the number of entries (the
    entries, their taskings grouped, the perpetrators' incidents grouped)."""
    entries = list(snapshot.entries.values_list("pk", "perpetrator_id"))
    activity: dict[int, EntryActivity] = {pk: EntryActivity({}, {}, 0, 0, 0) for pk, _ in entries}
    rows = (
        DailyTasking.objects.filter(entry__snapshot=snapshot)
        .values("entry_id", "kind", "result")
        .annotate(n=Count("pk"), n_today=Count("pk", filter=Q(tasked_on=today)))
        .order_by()
    )
    for row in rows:
        entry = activity.setdefault(row["entry_id"], EntryActivity({}, {}, 0, 0, 0))
        kind, result = TaskingKind(row["kind"]).label, row["result"]
        entry.by_kind[kind] = entry.by_kind.get(kind, 0) + row["n"]
        if result:
            label = TaskingResult(result).label
            entry.by_result[label] = entry.by_result.get(label, 0) + row["n"]
        else:
            entry.awaiting_result += row["n"]
        entry.today += row["n_today"]
    incidents = (
        Incident.objects.filter(
            recording_agency_id=snapshot.agency_id,
            occurred_at__gte=snapshot.taken_at,
            perpetrator_id__in=[perpetrator_id for _, perpetrator_id in entries],
        )
        .values("perpetrator_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_perpetrator = {row["perpetrator_id"]: row["n"] for row in incidents}
    for pk, perpetrator_id in entries:
        activity[pk].incidents_since = by_perpetrator.get(perpetrator_id, 0)
    return activity


def case_ids_seen_among(user: User, taskings: list[DailyTasking]) -> set[int]:
    """Of the taskings' cases, those the user may open (a link; the others show their reference
    only). One query."""
    ids = {t.case_id for t in taskings if t.case_id is not None}
    if not ids:
        return set()
    return set(cases_visible_among(user, CaseRecord.objects.filter(pk__in=ids)).values_list("pk", flat=True))
