"""RFG-V ranking computed in the database: one query, correlated subqueries on the indexed
(perpetrator, occurred_at) incidents, no Python loop over people."""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dacrre.accounts.models import Agency, Area, User
from dacrre.core.exceptions import NotFoundError
from incidents.models import Incident
from perpetrators.models import Perpetrator

from .models import ScoringSettings, TaskingSnapshot, VictimIncidentCount, gravity_table


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
