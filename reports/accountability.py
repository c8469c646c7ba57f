"""The accountability pack's measures beyond the performance report's counts: repeat rates, orders by
type and route, Clare's Law outcomes, and the evaluation of harm before and after allocation.

Each measure is defined in docs/oversight-and-reports.md (numerator, denominator, period,
exclusions). Each is a fixed number of grouped queries, whatever the size of the data.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    ValueRange,
    When,
    Window,
    WindowFrameExclusion,
)
from django.utils import timezone

from cases.models import Case
from dacrre.accounts.models import Agency
from disclosures.models import Decision, DisclosureApplication, DisclosureOutcome, Route
from incidents.models import Incident
from meetings.models import AgendaItem, MeetingKind
from orders.models import OrderKind, OrderRoute, ProtectiveOrder
from scoring.models import PerpetratorScore, gravity_table

from .selectors import Period, RateRow, Row, Section, report_cases

YEAR = datetime.timedelta(days=365)


@dataclass(frozen=True)
class Scope:
    """What a report is about: a force's cases, optionally one area and one operation."""

    agency: Agency
    period: Period
    area_id: int | None = None
    operation_id: int | None = None

    @property
    def last_year(self) -> Period:
        return self.period.year_earlier()

    def cases(self) -> QuerySet[Case]:
        return report_cases(self.agency, self.area_id, self.operation_id)

    def incidents(self) -> QuerySet[Incident]:
        """The force's incidents in the area; with an operation, those of its cases' perpetrators."""
        return Incident.objects.filter(self.incident_filter())

    def incident_filter(self, prefix: str = "") -> Q:
        """The condition on an incident (reached through `prefix`, e.g. "incident__") for being one
        of `incidents()`, to filter or count by without a subquery."""
        condition = Q(**{f"{prefix}recording_agency": self.agency})
        if self.area_id is not None:
            condition &= Q(**{f"{prefix}area_id": self.area_id})
        if self.operation_id is not None:
            condition &= Q(**{f"{prefix}perpetrator_id__in": self.cases().values("perpetrator_id")})
        return condition


def _repeat_victims(scope: Scope, periods: tuple[Period, ...]) -> list[tuple[int, int]]:
    """For each period: victims of an incident in the period, and those of them who were victims of
    another of the force's incidents in the 12 months before that one.

    One pass over the victims' links to the force's incidents from 12 months before the earliest
    period to the end of the latest, each with the victim's latest earlier incident (a window over
    the victim's incidents in time order, ties left out: an incident at the same instant is not an
    earlier one) instead of a look-back per victim and incident."""
    links = Incident.victims.through.objects
    bounds = [p.instants() for p in periods]
    at = F("incident__occurred_at")
    history = links.filter(
        incident__recording_agency=scope.agency,
        incident__occurred_at__gte=min(start for start, _ in bounds) - YEAR,
        incident__occurred_at__lt=max(end for _, end in bounds),
    ).alias(
        _previous=Window(
            Max(at),
            partition_by=F("victim_id"),
            order_by=at.asc(),
            frame=ValueRange(start=None, end=0, exclusion=WindowFrameExclusion.GROUP),
        ),
        _repeat=DbCase(When(_previous__gte=at - YEAR, then=Value(True)), default=Value(False)),
        _in_scope=DbCase(When(scope.incident_filter("incident__"), then=Value(True)), default=Value(False)),
    )
    counts = history.aggregate(
        **{
            f"{name}_{index}": Count("victim_id", distinct=True, filter=condition)
            for index, (start, end) in enumerate(bounds)
            for name, condition in (
                ("victims", Q(_in_scope=True, incident__occurred_at__gte=start, incident__occurred_at__lt=end)),
                (
                    "repeat",
                    Q(_in_scope=True, _repeat=True, incident__occurred_at__gte=start, incident__occurred_at__lt=end),
                ),
            )
        }
    )
    return [(counts[f"repeat_{index}"], counts[f"victims_{index}"]) for index in range(len(periods))]


def _repeat_marac(scope: Scope, period: Period) -> tuple[int, int]:
    """Cases heard at a MARAC in the period, and those of them heard at a MARAC in the 12 months
    before (the SafeLives definition of a repeat MARAC case)."""
    heard = AgendaItem.objects.filter(meeting__kind=MeetingKind.MARAC)
    earlier = heard.filter(
        case_id=OuterRef("case_id"),
        meeting__held_on__lt=OuterRef("meeting__held_on"),
        meeting__held_on__gte=OuterRef("meeting__held_on") - YEAR,
    )
    counts = heard.filter(period.dates("meeting__held_on"), case__in=scope.cases().values("pk")).aggregate(
        cases=Count("case_id", distinct=True),
        repeat=Count("case_id", distinct=True, filter=Q(Exists(earlier))),
    )
    return counts["repeat"], counts["cases"]


def _repeat_dvpo(scope: Scope, period: Period) -> tuple[int, int, int]:
    """DVPOs made in the period; the couples (perpetrator and protected victim) they protect; and the
    couples who had had a DVPO before this one."""
    dvpos = ProtectiveOrder.objects.filter(kind=OrderKind.DVPO, case__in=scope.cases().values("pk"))
    granted = dvpos.filter(period.dates("starts_on")).count()
    protected = ProtectiveOrder.protected_victims.through.objects
    earlier = protected.filter(
        victim_id=OuterRef("victim_id"),
        protectiveorder__kind=OrderKind.DVPO,
        protectiveorder__case__perpetrator_id=OuterRef("protectiveorder__case__perpetrator_id"),
        protectiveorder__starts_on__lt=OuterRef("protectiveorder__starts_on"),
    )
    couples = (
        protected.filter(period.dates("protectiveorder__starts_on"), protectiveorder__in=dvpos.values("pk"))
        .annotate(repeat=Exists(earlier))
        .values_list("protectiveorder__case__perpetrator_id", "victim_id", "repeat")  # type: ignore[misc]
    )
    pairs: dict[tuple[int, int], bool] = {}
    for perpetrator_id, victim_id, repeat in couples:
        pairs[(perpetrator_id, victim_id)] = pairs.get((perpetrator_id, victim_id), False) or repeat
    return granted, sum(pairs.values()), len(pairs)


def rates_section(scope: Scope) -> Section:
    """The repeat rates, this period and the same period last year."""
    this, last = scope.period, scope.last_year
    victims = _repeat_victims(scope, (this, last))
    marac = (_repeat_marac(scope, this), _repeat_marac(scope, last))
    dvpo = (_repeat_dvpo(scope, this), _repeat_dvpo(scope, last))
    return Section(
        "Repeats",
        [
            RateRow("Repeat victimisation (another incident within 12 months)", *victims[0], *victims[1]),
            RateRow("Repeat MARAC cases (heard within the previous 12 months)", *marac[0], *marac[1]),
            Row("DVPOs granted", dvpo[0][0], dvpo[1][0]),
            RateRow("Couples with a further DVPO (a second or later for the same couple)", *dvpo[0][1:], *dvpo[1][1:]),
        ],
        note="A rate is a count out of its base (shown beside it); its difference is in percentage points.",
    )


def orders_section(scope: Scope) -> Section:
    """Orders made in the period by type, restraining orders by the route they were made by."""
    this, last = scope.period.dates("starts_on"), scope.last_year.dates("starts_on")
    rows = (
        ProtectiveOrder.objects.filter(this | last, case__in=scope.cases().values("pk"))
        .values("kind", "route")
        .annotate(this=Count("pk", filter=this), last=Count("pk", filter=last))
        .order_by("kind", "route")
    )
    kinds, routes = dict(OrderKind.choices), dict(OrderRoute.choices)
    found: dict[str, list[int]] = {}
    for row in rows:
        label = kinds.get(row["kind"], row["kind"])
        if row["route"]:
            label = f"{label}, {routes.get(row['route'], row['route']).lower()}"
        counts = found.setdefault(label, [0, 0])
        counts[0] += row["this"]
        counts[1] += row["last"]
    return Section(
        "Protective orders by type and route",
        [Row(label, this_count, last_count) for label, (this_count, last_count) in found.items()],
        chart=True,
    )


def disclosures_section(scope: Scope) -> Section:
    """Clare's Law: applications by route, decisions to disclose, disclosures made and those
    authorised but declined by the person at risk (on the date of the outcome)."""
    applications = DisclosureApplication.objects.filter(case__in=scope.cases().values("pk"))
    this, last = scope.period, scope.last_year
    counts = applications.aggregate(
        **{
            f"{name}_{which}": Count("pk", filter=condition & during.dates(field))
            for name, condition, field in (
                ("ask", Q(route=Route.RIGHT_TO_ASK), "received_on"),
                ("know", Q(route=Route.RIGHT_TO_KNOW), "received_on"),
                ("authorised", Q(decision=Decision.DISCLOSE), "decided_on"),
                ("made", Q(outcome=DisclosureOutcome.MADE), "outcome_on"),
                ("declined", Q(decision=Decision.DISCLOSE, outcome=DisclosureOutcome.DECLINED), "outcome_on"),
            )
            for which, during in (("this", this), ("last", last))
        }
    )

    def row(label: str, name: str) -> Row:
        return Row(label, counts[f"{name}_this"], counts[f"{name}_last"])

    return Section(
        "Clare's Law (Domestic Violence Disclosure Scheme)",
        [
            row("Right to ask applications", "ask"),
            row("Right to know applications", "know"),
            row("Disclosures authorised", "authorised"),
            row("Disclosures made", "made"),
            row("Authorised, but declined by the person at risk", "declined"),
        ],
    )


# Harm bands for matching the comparison group (gravity points in the 12 months before).
HARM_BANDS = ((0, 0), (1, 9), (10, 29), (30, None))


def _band(harm: int) -> int:
    for index, (low, high) in enumerate(HARM_BANDS):
        if harm >= low and (high is None or harm <= high):
            return index
    return len(HARM_BANDS) - 1


def _weighted_harm() -> DbCase:
    table = gravity_table()
    return DbCase(
        *[When(offence_category=category, then=Value(weight)) for category, weight in table.items()],
        default=Value(1),
        output_field=IntegerField(),
    )


def _harm_around(
    incidents: QuerySet[Incident], perpetrators: dict[int, datetime.date], among: QuerySet
) -> dict[int, tuple[int, int]]:
    """Each perpetrator's harm in the 12 months before and after their own date, in one query.
    `among` is the query the perpetrators were read by (their ids), used instead of a list of
    thousands of ids (which took 0.1 s to build and plan at the benchmark's scale)."""
    if not perpetrators:
        return {}
    earliest, latest = min(perpetrators.values()) - YEAR, max(perpetrators.values()) + YEAR
    rows = (
        incidents.filter(Period(earliest, latest - datetime.timedelta(days=1)).moments("occurred_at"))
        .filter(perpetrator_id__in=among)
        .order_by()
        .values("perpetrator_id", "occurred_at")
        .annotate(harm=_weighted_harm())
        .values_list("perpetrator_id", "occurred_at", "harm")
    )
    # Each date's 12 months either side as instants (local midnights), worked out once per date:
    # comparing each incident's local date instead cost 0.3 s on the benchmark's 70,000 incidents.
    windows = {
        on: (Period(on - YEAR, on - datetime.timedelta(days=1)).instants(), Period(on + YEAR, on + YEAR).instants()[0])
        for on in set(perpetrators.values())
    }
    found = dict.fromkeys(perpetrators, (0, 0))
    for perpetrator_id, occurred_at, harm in rows:
        (year_before, allocated_at), year_after = windows[perpetrators[perpetrator_id]]
        before, after = found[perpetrator_id]
        if year_before <= occurred_at < allocated_at:
            before += harm
        elif allocated_at <= occurred_at < year_after:
            after += harm
        found[perpetrator_id] = (before, after)
    return found


@dataclass(frozen=True)
class Evaluation:
    allocated: int
    allocated_before: int
    allocated_after: int
    compared: int
    compared_before: Decimal
    compared_after: Decimal
    follow_up_ends: datetime.date


def evaluation(scope: Scope, *, today: datetime.date) -> Evaluation:
    """Harm (gravity-weighted incidents) of the perpetrators allocated in the period (their case
    opened with a SPOC), 12 months before and after their allocation, against perpetrators of the
    same areas who were ranked but never allocated, matched on area and on harm band in the 12 months
    before, and weighted to the allocated group's mix of area and band. The comparison group's date is
    the middle of the period."""
    allocated_on: dict[int, datetime.date] = {}
    areas: dict[int, int] = {}
    allocated = scope.cases().filter(scope.period.moments("opened_at"), spoc__isnull=False)
    for perpetrator_id, opened_at, area_id in allocated.order_by("perpetrator_id", "opened_at").values_list(
        "perpetrator_id", "opened_at", "area_id"
    ):
        if perpetrator_id not in allocated_on:  # the first allocation in the period
            allocated_on[perpetrator_id] = timezone.localdate(opened_at)
            areas[perpetrator_id] = area_id
    incidents = Incident.objects.filter(recording_agency=scope.agency)
    treated = _harm_around(incidents, allocated_on, allocated.values("perpetrator_id"))
    middle = scope.period.start + (scope.period.end - scope.period.start) / 2
    ranked = (
        PerpetratorScore.objects.filter(agency=scope.agency, area_id__in=set(areas.values()))
        .exclude(Exists(Case.objects.filter(perpetrator_id=OuterRef("perpetrator_id"), owning_agency=scope.agency)))
        .values_list("perpetrator_id", "area_id")
    )
    compared_area = dict(ranked)
    compared = _harm_around(incidents, dict.fromkeys(compared_area, middle), ranked.values("perpetrator_id"))
    cells: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for pk, harm in compared.items():
        cells.setdefault((compared_area[pk], _band(harm[0])), []).append(harm)
    weights: dict[tuple[int, int], int] = {}
    for pk, harm in treated.items():
        cell = (areas[pk], _band(harm[0]))
        if cell in cells:
            weights[cell] = weights.get(cell, 0) + 1
    total = sum(weights.values())
    before = after = Decimal(0)
    for cell, weight in weights.items():
        members = cells[cell]
        before += Decimal(weight) * sum(h[0] for h in members) / len(members)
        after += Decimal(weight) * sum(h[1] for h in members) / len(members)
    return Evaluation(
        allocated=len(treated),
        allocated_before=sum(h[0] for h in treated.values()),
        allocated_after=sum(h[1] for h in treated.values()),
        compared=sum(len(cells[cell]) for cell in weights),
        compared_before=(before / total if total else Decimal(0)).quantize(Decimal("0.1")),
        compared_after=(after / total if total else Decimal(0)).quantize(Decimal("0.1")),
        follow_up_ends=min(scope.period.end + YEAR, today),
    )


def evaluation_section(scope: Scope, *, today: datetime.date) -> Section:
    result = evaluation(scope, today=today)

    def mean(harm: int) -> Decimal:
        return (Decimal(harm) / result.allocated).quantize(Decimal("0.1")) if result.allocated else Decimal(0)

    before, after = mean(result.allocated_before), mean(result.allocated_after)
    rows: list[Row | RateRow | EvaluationRow] = [
        Row("Perpetrators", result.allocated, result.compared),
        EvaluationRow("Harm per person, 12 months before", before, result.compared_before),
        EvaluationRow("Harm per person, 12 months after", after, result.compared_after),
        EvaluationRow(
            "Change per person (after less before)", after - before, result.compared_after - result.compared_before
        ),
    ]
    return Section(
        "Evaluation: harm before and after allocation",
        rows,
        columns=("Allocated", "Comparison group", "Difference", "% change"),
        note=(
            "Harm is the gravity-weighted count of the force's incidents by the perpetrator (the ranking's "
            "weights). Allocated: perpetrators whose case opened with a SPOC in the period, measured 12 months "
            "either side of the opening. Comparison group: perpetrators of the same areas ranked but never given "
            "a case, measured 12 months either side of the middle of the period, matched on area and on their "
            "harm band in the 12 months before (0, 1-9, 10-29, 30 or more) and weighted to the allocated group's "
            f"mix. Incidents after {result.follow_up_ends:%-d %b %Y} are not yet known, so a recent period's "
            "'after' is incomplete for both groups alike."
        ),
    )


@dataclass
class EvaluationRow(Row):
    """Allocated against the comparison group (means per person, to one decimal place), in a section
    whose columns say so: a % change between the two groups means nothing, so none is shown."""

    this: Decimal  # type: ignore[assignment]
    last: Decimal  # type: ignore[assignment]

    @property
    def percent_change(self) -> None:
        return None


def accountability_sections(scope: Scope, *, today: datetime.date) -> list[Section]:
    return [
        rates_section(scope),
        orders_section(scope),
        disclosures_section(scope),
        evaluation_section(scope, today=today),
    ]
