"""Performance figures for a period against the same period a year earlier, computed in the database:
each table is one grouped query with a conditional count per period, whatever the data size."""

import datetime
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from cases.models import Case, CaseChild, CaseVictim, RiskLevel
from dacrre.accounts.models import Agency
from disclosures.models import DisclosureApplication, DisclosureOutcome
from equipment.models import EquipmentIssue, EquipmentItem
from offender_management.models import (
    BehaviourCategory,
    BehaviourMeasure,
    Intervention,
    InterventionType,
    MeasurePoint,
    ProgrammeAllocation,
    ProgrammeStage,
    ProgrammeStageChange,
)
from orders.models import OrderBreach, ProtectiveOrder
from referrals.models import Referral, ReferralStatus
from reminders.models import Reminder, ReminderKind
from reports import figures as figures_module
from reports.models import KeptFigure
from risk.models import RiskAssessment
from visits.models import Visit, VisitStatus

# The window either side of a case opening used for "did the offending fall?".
AFTER_INTERVENTION_DAYS = 180


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    def year_earlier(self) -> "Period":
        def back(day: datetime.date) -> datetime.date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                return day.replace(year=day.year - 1, day=28)

        return Period(back(self.start), back(self.end))

    def dates(self, field_name: str) -> Q:
        return Q(**{f"{field_name}__gte": self.start, f"{field_name}__lte": self.end})

    def instants(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as instants: from the first day's local midnight to the midnight after the last
        day (each day's length follows the clock changes)."""
        return (
            timezone.make_aware(datetime.datetime.combine(self.start, datetime.time.min)),
            timezone.make_aware(datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min)),
        )

    def moments(self, field_name: str) -> Q:
        """The moments whose local date is in the period, compared as instants (which the timestamp
        columns' indexes serve, where their local date is served by none)."""
        start, end = self.instants()
        return Q(**{f"{field_name}__gte": start, f"{field_name}__lt": end})


@dataclass
class Row:
    label: str
    this: int
    last: int
    is_rate = False

    @property
    def difference(self) -> int:
        return self.this - self.last

    @property
    def percent_change(self) -> Decimal | None:
        if not self.last:
            return None
        return (Decimal(self.this - self.last) * 100 / self.last).quantize(Decimal("0.1"))

    # As the page, the pack and the downloads show them.
    @property
    def this_shown(self) -> str:
        return str(self.this)

    @property
    def last_shown(self) -> str:
        return str(self.last)

    @property
    def difference_shown(self) -> str:
        return f"{'+' if self.difference > 0 else ''}{self.difference}"

    @property
    def change_shown(self) -> str:
        change = self.percent_change
        return "n/a" if change is None else f"{'+' if change > 0 else ''}{change}%"


def rate(count: int, out_of: int) -> Decimal | None:
    """count / out_of as a percentage to one decimal place; None when there is nothing to divide by."""
    if not out_of:
        return None
    return (Decimal(count) * 100 / out_of).quantize(Decimal("0.1"))


@dataclass
class RateRow:
    """A rate in both periods (count out of a base), and its difference in percentage points."""

    label: str
    this_count: int
    this_of: int
    last_count: int
    last_of: int
    is_rate = True
    percent_change = None

    @property
    def this(self) -> Decimal | None:
        return rate(self.this_count, self.this_of)

    @property
    def last(self) -> Decimal | None:
        return rate(self.last_count, self.last_of)

    @property
    def difference(self) -> Decimal | None:
        if self.this is None or self.last is None:
            return None
        return self.this - self.last

    @property
    def this_shown(self) -> str:
        return "n/a (none)" if self.this is None else f"{self.this}% ({self.this_count} of {self.this_of})"

    @property
    def last_shown(self) -> str:
        return "n/a (none)" if self.last is None else f"{self.last}% ({self.last_count} of {self.last_of})"

    @property
    def difference_shown(self) -> str:
        if self.difference is None:
            return "n/a"
        return f"{'+' if self.difference > 0 else ''}{self.difference} points"

    @property
    def change_shown(self) -> str:
        return "n/a"


@dataclass
class Section:
    title: str
    rows: list = field(default_factory=list)  # Row, RateRow or another row with the same properties
    chart: bool = False
    columns: tuple[str, ...] = ("This period", "Same period last year", "Difference", "% change")
    # What the section counts and how, where the title cannot say it (shown under the title).
    note: str = ""

    @property
    def largest(self) -> int:
        return max([1, *(max(r.this, r.last) for r in self.rows if isinstance(r, Row))])

    @property
    def bars(self) -> list[dict[str, object]]:
        """Each row's two bars as lengths out of 100 (SVG attributes, not inline styles, so the CSP
        allows them), with the row's whole label and both figures, as in the table."""
        return [
            {
                "label": row.label,
                "this": row.this,
                "last": row.last,
                "this_length": round(row.this * 100 / self.largest, 1),
                "last_length": round(row.last * 100 / self.largest, 1),
            }
            for row in self.rows
            if isinstance(row, Row)
        ]


def _two(queryset: QuerySet, this: Q, last: Q) -> dict[str, int]:
    return queryset.aggregate(this=Count("pk", filter=this), last=Count("pk", filter=last))


def _grouped(
    queryset: QuerySet,
    label: str,
    this: Q,
    last: Q,
    labels: dict | None = None,
    disposed: dict[object, tuple[int, int]] | None = None,
) -> list[Row]:
    """One row per value of `label`, with the counts of disposed cases' records (by the same value)
    added to them."""
    rows = (
        queryset.filter(this | last)
        .values(label)
        .annotate(this=Count("pk", filter=this), last=Count("pk", filter=last))
        .order_by(label)
    )
    return _labelled_rows({r[label]: [r["this"], r["last"]] for r in rows}, labels, disposed)


def _labelled_rows(
    counts: dict[object, list[int]], labels: dict | None = None, disposed: dict[object, tuple[int, int]] | None = None
) -> list[Row]:
    for value, (this_count, last_count) in (disposed or {}).items():
        both = counts.setdefault(value, [0, 0])
        both[0] += this_count
        both[1] += last_count
    ordered = sorted(counts.items(), key=lambda item: (item[0] is None, str(item[0] or "")))
    return [
        Row(str((labels or {}).get(value, value) or "Not recorded"), this_count, last_count)
        for value, (this_count, last_count) in ordered
        if this_count or last_count
    ]


def _referrals_by_agency_and_status(
    referrals: QuerySet[Referral], this: Q, last: Q
) -> tuple[dict[object, list[int]], dict[object, list[int]]]:
    """The referrals sent in each period by agency (all) and by status (drafts left out), from one
    grouped query rather than two (about 0.1 s saved at the benchmark's scale)."""
    by_agency: dict[object, list[int]] = {}
    by_status: dict[object, list[int]] = {}
    for row in (
        referrals.filter(this | last)
        .values("to_agency__name", "status")
        .annotate(this=Count("pk", filter=this), last=Count("pk", filter=last))
        .order_by()
    ):
        places = [(by_agency, row["to_agency__name"])]
        if row["status"] != ReferralStatus.DRAFT:
            places.append((by_status, row["status"]))
        for counts, value in places:
            both = counts.setdefault(value, [0, 0])
            both[0] += row["this"]
            both[1] += row["last"]
    return by_agency, by_status


def _incidents_around_opening(cases: QuerySet[Case], *periods: "Period") -> list[tuple[int, int]]:
    """For each period: the incidents of each case's perpetrator in the AFTER_INTERVENTION_DAYS
    before and after the case opened, summed over the cases opened in the period (an incident counts
    once per case). One join of the cases opened in the periods to their perpetrators' incidents in
    the window, not two look-ups per case (two queries of 0.3-0.4 s to one of 0.45 s at the
    benchmark's scale)."""
    window = datetime.timedelta(days=AFTER_INTERVENTION_DAYS)
    at = "perpetrator__incidents__occurred_at"
    before, after = Q(**{f"{at}__lt": F("opened_at")}), Q(**{f"{at}__gte": F("opened_at")})
    opened = [period.moments("opened_at") for period in periods]
    counts = cases.filter(
        reduce(operator.or_, opened), **{f"{at}__gte": F("opened_at") - window, f"{at}__lt": F("opened_at") + window}
    ).aggregate(
        **{
            # Counting the (never empty) time rather than the id lets the index on the perpetrator
            # and time answer alone: one range scan of it per case (0.3 s to 0.17 s).
            f"{name}_{index}": Count(at, filter=when & side)
            for index, when in enumerate(opened)
            for name, side in (("before", before), ("after", after))
        }
    )
    return [(counts[f"before_{index}"], counts[f"after_{index}"]) for index in range(len(periods))]


def _interventions_for(cases: QuerySet[Case]) -> QuerySet[Intervention]:
    """Interventions on the cases: those recorded against one of them, and those recorded against
    "all open cases" of the perpetrator (stored with no case) when one of the cases was open then.
    Each intervention once, however many of the perpetrator's cases there are."""
    open_then = cases.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=OuterRef("recorded_at")),
        perpetrator_id=OuterRef("perpetrator_id"),
        opened_at__lte=OuterRef("recorded_at"),
    )
    return Intervention.objects.alias(_open=Exists(open_then)).filter(
        Q(case__in=cases.values("pk")) | Q(case__isnull=True, _open=True)
    )


def _visits_due(cases: QuerySet[Case]) -> QuerySet[Reminder]:
    """One per visit due date: a date raised again (its reminder done, then due once more after a
    late visit record) is one visit due, not two."""
    earlier = Reminder.objects.filter(
        kind=OuterRef("kind"),
        case_id=OuterRef("case_id"),
        subject_key=OuterRef("subject_key"),
        due_on=OuterRef("due_on"),
        pk__lt=OuterRef("pk"),
    )
    visit_kinds = [ReminderKind.PERPETRATOR_VISIT_DUE, ReminderKind.VICTIM_VISIT_DUE]
    return Reminder.objects.filter(case__in=cases.values("pk"), kind__in=visit_kinds).exclude(Exists(earlier))


class _Disposed:
    """The figures kept from disposed cases (reports.models.KeptFigure) that fall in the report:
    the same force, area and operation, in this period or the same period a year earlier. Two
    queries, whatever the number of disposed cases."""

    def __init__(
        self, *, agency: Agency, period: Period, last_year: Period, area_id: int | None, operation_id: int | None
    ) -> None:
        figures = KeptFigure.objects.filter(owning_agency=agency)
        if area_id is not None:
            figures = figures.filter(area_id=area_id)
        if operation_id is not None:
            figures = figures.filter(operation_id=operation_id)
        self.figures = figures
        self.this, self.last = period.dates("on"), last_year.dates("on")
        self.counts: dict[tuple[str, str], tuple[int, int]] = {
            (r["metric"], r["label"]): (r["this"] or 0, r["last"] or 0)
            for r in figures.exclude(metric=figures_module.INTERVENTION)
            .filter(self.this | self.last)
            .values("metric", "label")
            .annotate(this=Sum("count", filter=self.this), last=Sum("count", filter=self.last))
        }

    def one(self, metric: str) -> tuple[int, int]:
        return self.counts.get((metric, ""), (0, 0))

    def by_label(self, metric: str, convert: dict | None = None) -> dict[object, tuple[int, int]]:
        found: dict[object, tuple[int, int]] = {}
        for (name, label), counts in self.counts.items():
            if name == metric:
                key = (convert or {}).get(label, label)
                before = found.get(key, (0, 0))
                found[key] = (before[0] + counts[0], before[1] + counts[1])
        return found

    def interventions(self, live: QuerySet[Intervention]) -> dict[object, tuple[int, int]]:
        """Interventions counted for disposed cases and for no case in the report: each once."""
        rows = (
            self.figures.filter(metric=figures_module.INTERVENTION)
            .filter(self.this | self.last)
            .exclude(Exists(live.filter(pk=OuterRef("source_id"))))
            .values("label")
            .annotate(
                this=Count("source_id", distinct=True, filter=self.this),
                last=Count("source_id", distinct=True, filter=self.last),
            )
        )
        return {r["label"]: (r["this"], r["last"]) for r in rows}


def _plus(live: dict[str, int], disposed: tuple[int, int]) -> dict[str, int]:
    return {"this": live["this"] + disposed[0], "last": live["last"] + disposed[1]}


def _equipment_section(
    agency: Agency, in_cases: QuerySet, period: Period, last_year: Period, kept: tuple[int, int]
) -> Section:
    """Equipment issued on the report's cases, and the force's spend per fund on items bought in the
    period (spend is the force's, whatever the area or operation chosen)."""
    issued = _two(
        EquipmentIssue.objects.filter(case__in=in_cases), period.dates("issued_on"), last_year.dates("issued_on")
    )
    spend = (
        EquipmentItem.objects.filter(agency=agency)
        .values("fund__name")
        .annotate(
            this=Coalesce(Sum("cost", filter=period.dates("bought_on")), Decimal("0")),
            last=Coalesce(Sum("cost", filter=last_year.dates("bought_on")), Decimal("0")),
        )
        .order_by("fund__name")
    )
    rows = [Row("Equipment issued to victims", issued["this"] + kept[0], issued["last"] + kept[1])]
    rows += [Row(f"Spend, {row['fund__name']} (£)", round(row["this"]), round(row["last"])) for row in spend]
    return Section("Target-hardening equipment", rows)


def _programme_section(in_cases: QuerySet, period: Period, last_year: Period, disposed: "_Disposed") -> Section:
    """Programme allocations of the report's cases' perpetrators: allocated, completed, withdrawn,
    the victims and children associated with them, and at exit the number whose behaviour reduced,
    per category. Five queries."""
    allocations = ProgrammeAllocation.objects.filter(perpetrator__cases__in=in_cases).values("pk")
    allocated = _two(
        ProgrammeAllocation.objects.filter(pk__in=allocations), period.dates("starts_on"), last_year.dates("starts_on")
    )
    ended = ProgrammeStageChange.objects.filter(allocation__in=allocations).aggregate(
        **{
            f"{stage}_{which}": Count("pk", filter=Q(to_stage=stage) & during.dates("changed_on"))
            for stage in (ProgrammeStage.COMPLETED, ProgrammeStage.WITHDRAWN)
            for which, during in (("this", period), ("last", last_year))
        }
    )
    started = {
        which: ProgrammeAllocation.objects.filter(pk__in=allocations)
        .filter(during.dates("starts_on"))
        .values("perpetrator_id")
        for which, during in (("this", period), ("last", last_year))
    }
    # Only the links of the started perpetrators' cases are read (not all the report's cases'):
    # 0.3-0.6 s to a few ms at the benchmark's scale.
    either = ProgrammeAllocation.objects.filter(pk__in=allocations).filter(
        period.dates("starts_on") | last_year.dates("starts_on")
    )
    associated = {
        name: model.objects.filter(
            case__in=in_cases, case__perpetrator_id__in=either.values("perpetrator_id")
        ).aggregate(
            **{
                which: Count(person, distinct=True, filter=Q(case__perpetrator_id__in=started[which]))
                for which in ("this", "last")
            }
        )
        for name, model, person in (("victims", CaseVictim, "victim_id"), ("children", CaseChild, "child_id"))
    }
    f = figures_module

    def row(label: str, this: int, last: int, metric: str) -> Row:
        kept = disposed.one(metric)
        return Row(label, this + kept[0], last + kept[1])

    rows = [
        row("Perpetrators allocated to a programme", allocated["this"], allocated["last"], f.PROGRAMME_ALLOCATED),
        row(
            "Victims associated with them",
            associated["victims"]["this"],
            associated["victims"]["last"],
            f.PROGRAMME_VICTIM,
        ),
        row(
            "Children associated with them",
            associated["children"]["this"],
            associated["children"]["last"],
            f.PROGRAMME_CHILD,
        ),
        row("Programmes completed", ended["completed_this"], ended["completed_last"], f.PROGRAMME_COMPLETED),
        row("Programmes withdrawn from", ended["withdrawn_this"], ended["withdrawn_last"], f.PROGRAMME_WITHDRAWN),
    ]
    kept = disposed.by_label(f.PROGRAMME_REDUCED)
    reduced = [
        Row(r.label, r.this + kept.get(category.value, (0, 0))[0], r.last + kept.get(category.value, (0, 0))[1])
        for r, category in zip(_reductions(allocations, period, last_year), BehaviourCategory, strict=True)
    ]
    return Section("Perpetrator programmes", rows + reduced)


def _reductions(allocations: QuerySet, period: Period, last_year: Period) -> list[Row]:
    """Per category, the programmes whose exit measure (in the period) is lower than their start."""
    starts: dict[int, dict] = {}
    exits: list[tuple[int, datetime.date, dict]] = []
    for measure in BehaviourMeasure.objects.filter(allocation__in=allocations):
        if measure.point == MeasurePoint.START:
            starts[measure.allocation_id] = measure.scores
        else:
            exits.append((measure.allocation_id, measure.measured_on, measure.scores))
    rows = []
    for category in BehaviourCategory:
        counts = {"this": 0, "last": 0}
        for allocation_id, on, scores in exits:
            if scores.get(category.value, 0) >= starts.get(allocation_id, {}).get(category.value, 0):
                continue
            for which, during in (("this", period), ("last", last_year)):
                counts[which] += during.start <= on <= during.end
        rows.append(Row(f"Reduced at exit: {category.label.lower()}", counts["this"], counts["last"]))
    return rows


# Sections that apps above the report add after its own (justice, experience), each registered by
# its app's figures.py (found at the first report, as case panels are); each is called with the
# report's agency, period, area_id and operation_id and returns its sections.
ReportSections = Callable[..., list[Section]]
SECTION_HOOKS: list[ReportSections] = []


def register_report_sections(function: ReportSections) -> ReportSections:
    SECTION_HOOKS.append(function)
    return function


def _registered_sections() -> list[ReportSections]:
    autodiscover_modules("figures")
    return SECTION_HOOKS


def report_cases(agency: Agency, area_id: int | None = None, operation_id: int | None = None) -> QuerySet[Case]:
    """The cases a report is about: the force's, optionally one area's and one operation's."""
    cases = Case.objects.filter(owning_agency=agency)
    if area_id is not None:
        cases = cases.filter(area_id=area_id)
    if operation_id is not None:
        cases = cases.filter(operation_id=operation_id)
    return cases


def performance_report(
    *, agency: Agency, period: Period, area_id: int | None = None, operation_id: int | None = None
) -> list[Section]:
    last_year = period.year_earlier()
    cases = report_cases(agency, area_id, operation_id)
    in_cases = cases.values("pk")
    disposed = _Disposed(agency=agency, period=period, last_year=last_year, area_id=area_id, operation_id=operation_id)
    f = figures_module

    opened = cases.aggregate(
        identified_this=Count("pk", filter=period.moments("opened_at")),
        identified_last=Count("pk", filter=last_year.moments("opened_at")),
        allocated_this=Count("pk", filter=period.moments("opened_at") & Q(spoc__isnull=False)),
        allocated_last=Count("pk", filter=last_year.moments("opened_at") & Q(spoc__isnull=False)),
        closed_this=Count("pk", filter=period.moments("closed_at")),
        closed_last=Count("pk", filter=last_year.moments("closed_at")),
    )

    def both(queryset: QuerySet, field_name: str, *, moment: bool = True) -> dict[str, int]:
        if moment:
            return _two(queryset, period.moments(field_name), last_year.moments(field_name))
        return _two(queryset, period.dates(field_name), last_year.dates(field_name))

    for name, metric in (("identified", f.CASE_OPENED), ("allocated", f.CASE_ALLOCATED), ("closed", f.CASE_CLOSED)):
        opened[f"{name}_this"] += disposed.one(metric)[0]
        opened[f"{name}_last"] += disposed.one(metric)[1]
    visits = _plus(
        both(Visit.objects.filter(case__in=in_cases, status=VisitStatus.COMPLETED), "occurred_at"),
        disposed.one(f.VISIT_COMPLETED),
    )
    due = _plus(both(_visits_due(cases), "due_on", moment=False), disposed.one(f.VISIT_DUE))
    victims = _plus(both(CaseVictim.objects.filter(case__in=in_cases), "created_at"), disposed.one(f.VICTIM_ASSOCIATED))
    children = _plus(both(CaseChild.objects.filter(case__in=in_cases), "created_at"), disposed.one(f.CHILD_ASSOCIATED))
    orders = _plus(
        both(ProtectiveOrder.objects.filter(case__in=in_cases), "starts_on", moment=False), disposed.one(f.ORDER)
    )
    breaches = _plus(
        both(OrderBreach.objects.filter(order__case__in=in_cases), "occurred_on", moment=False),
        disposed.one(f.BREACH),
    )
    applications = DisclosureApplication.objects.filter(case__in=in_cases)
    received = _plus(both(applications, "received_on", moment=False), disposed.one(f.DISCLOSURE_RECEIVED))
    disclosed = _plus(
        both(applications.filter(outcome=DisclosureOutcome.MADE), "outcome_on", moment=False),
        disposed.one(f.DISCLOSURE_MADE),
    )
    referrals_by_agency, referrals_by_status = _referrals_by_agency_and_status(
        Referral.objects.filter(case__in=in_cases), period.moments("sent_at"), last_year.moments("sent_at")
    )
    (before_this, after_this), (before_last, after_last) = _incidents_around_opening(cases, period, last_year)
    before_this += disposed.one(f.INCIDENTS_BEFORE)[0]
    before_last += disposed.one(f.INCIDENTS_BEFORE)[1]
    after_this += disposed.one(f.INCIDENTS_AFTER)[0]
    after_last += disposed.one(f.INCIDENTS_AFTER)[1]
    agency_names = dict(
        Agency.objects.filter(
            pk__in=[int(label) for (metric, label) in disposed.counts if metric == f.REFERRAL_AGENCY and label]
        ).values_list("pk", "name")
    )
    interventions = _interventions_for(cases)

    more = [
        s
        for hook in _registered_sections()
        for s in hook(agency=agency, period=period, area_id=area_id, operation_id=operation_id)
    ]
    return [
        Section(
            "Perpetrators and cases",
            [
                Row("Perpetrators identified (cases opened)", opened["identified_this"], opened["identified_last"]),
                Row("Perpetrators allocated (opened with a SPOC)", opened["allocated_this"], opened["allocated_last"]),
                Row("Cases closed", opened["closed_this"], opened["closed_last"]),
                Row("Victims associated", victims["this"], victims["last"]),
                Row("Children associated", children["this"], children["last"]),
            ],
        ),
        Section(
            "Visits",
            [Row("Visits completed", visits["this"], visits["last"]), Row("Visits due", due["this"], due["last"])],
        ),
        Section(
            "Risk assessments by level",
            _grouped(
                RiskAssessment.objects.filter(case__in=in_cases),
                "final_level",
                period.moments("assessed_at"),
                last_year.moments("assessed_at"),
                dict(RiskLevel.choices),
                disposed.by_label(f.RISK_LEVEL),
            ),
            chart=True,
        ),
        Section(
            "Referrals by agency",
            _labelled_rows(
                referrals_by_agency,
                disposed=disposed.by_label(
                    f.REFERRAL_AGENCY,
                    {str(pk): name for pk, name in agency_names.items()} | {"": None},
                ),
            ),
            chart=True,
        ),
        Section(
            "Referrals by outcome",
            _labelled_rows(referrals_by_status, dict(ReferralStatus.choices), disposed.by_label(f.REFERRAL_STATUS)),
            chart=True,
        ),
        Section(
            "Interventions with other agencies by type",
            _grouped(
                interventions,
                "kind",
                period.dates("occurred_on"),
                last_year.dates("occurred_on"),
                dict(InterventionType.choices),
                disposed.interventions(interventions),
            ),
            chart=True,
        ),
        Section(
            "Protective orders and Clare's Law",
            [
                Row("Protective orders obtained", orders["this"], orders["last"]),
                Row("Order breaches", breaches["this"], breaches["last"]),
                Row("Clare's Law applications received", received["this"], received["last"]),
                Row("Clare's Law disclosures made", disclosed["this"], disclosed["last"]),
            ],
        ),
        _equipment_section(agency, in_cases, period, last_year, disposed.one(f.EQUIPMENT_ISSUED)),
        _programme_section(in_cases, period, last_year, disposed),
        Section(
            f"Did the offending fall? Incidents by perpetrators of cases opened in the period, "
            f"{AFTER_INTERVENTION_DAYS} days either side of the opening",
            [
                Row("Incidents before the case opened", before_this, before_last),
                Row("Incidents after the case opened", after_this, after_last),
            ],
        ),
    ] + more
