"""The performance report's justice sections (docs/oversight-and-reports.md defines each measure):
crimes and positive outcomes by offence group with the positive outcome rate; arrests and the arrest
rate; NFA decisions and their review; Victims' Code updates given in time. This period against the
same period a year earlier, for the report's force, area and operation.

- Crimes: recorded crimes (incidents marked as crimes) of the perpetrators of the report's cases,
  by the date they occurred.
- Positive outcome rate: crimes of the period closed with a positive outcome (Home Office types 1-4
  and 6-8) / crimes of the period that have an outcome. Crimes still under investigation are left
  out of the rate (and shown, so that a low rate is not read as a bad one).
- Arrest rate: crimes of the period with an arrest recorded / crimes of the period.

Figures of disposed cases are kept (reports.models.KeptFigure) by `case_justice_figures` and added
back here, as the report's other sections do."""

from dataclasses import dataclass

from django.db.models import Case as DbCase
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate

from cases.models import Case
from dacrre.accounts.models import Agency
from incidents.models import Incident, OffenceCategory
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reports import figures as report_figures
from reports import selectors as report_selectors
from reports.figures import Figure
from reports.models import KeptFigure
from reports.selectors import Period, RateRow, Row, Section

from .models import DIVERSION, NFA_OUTCOMES, POSITIVE_OUTCOMES, EventKind, JusticeEvent, NfaReview, ReviewDecision

# Offence groups as the accountability pack shows them (after the Home Office's groups).
OFFENCE_GROUPS: dict[str, str] = {
    OffenceCategory.HOMICIDE_ATTEMPT: "Violence with injury",
    OffenceCategory.GBH: "Violence with injury",
    OffenceCategory.ABH: "Violence with injury",
    OffenceCategory.STRANGULATION: "Violence with injury",
    OffenceCategory.COMMON_ASSAULT: "Violence without injury",
    OffenceCategory.THREATS_TO_KILL: "Violence without injury",
    OffenceCategory.STALKING: "Stalking and harassment",
    OffenceCategory.HARASSMENT: "Stalking and harassment",
    OffenceCategory.COERCIVE_CONTROL: "Stalking and harassment",
    OffenceCategory.SEXUAL_OFFENCE: "Sexual offences",
    OffenceCategory.CRIMINAL_DAMAGE: "Criminal damage",
    OffenceCategory.PUBLIC_ORDER: "Public order",
    OffenceCategory.BREACH_OF_ORDER: "Breach of order or bail",
    OffenceCategory.NON_CRIME: "Other",
}
GROUP_ORDER = list(dict.fromkeys(OFFENCE_GROUPS.values()))

# Kept figures (reports.models.KeptFigure metrics).
CRIME = "justice_crime"  # label: "<category>|<class>|<arrested 0/1>", on the date it occurred
ARREST = "justice_arrest"  # source_id: the perpetrator (suspects are counted once a period)
NFA_REVIEWED = "justice_nfa_reviewed"  # label: the decision, "|cps" when referred to the CPS
VICTIM_UPDATE_DUE = "justice_update_due"  # label: "in_time" or "late"
CLASSES = ("positive", "diversion", "nfa", "other", "ongoing")


def outcome_class(outcome_type: str) -> str:
    if not outcome_type:
        return "ongoing"
    if outcome_type in POSITIVE_OUTCOMES:
        return "positive"
    if outcome_type == DIVERSION:
        return "diversion"
    return "nfa" if outcome_type in NFA_OUTCOMES else "other"


def _kept(
    agency: Agency, area_id: int | None, operation_id: int | None, period: Period, last: Period
) -> dict[str, list[tuple[str, KeptFigure]]]:
    """The kept figures of disposed cases in either period, by metric, each with "this" or "last".
    One query."""
    kept = KeptFigure.objects.filter(owning_agency=agency, metric__startswith="justice_").filter(
        period.dates("on") | last.dates("on")
    )
    if area_id is not None:
        kept = kept.filter(area_id=area_id)
    if operation_id is not None:
        kept = kept.filter(operation_id=operation_id)
    found: dict[str, list[tuple[str, KeptFigure]]] = {}
    for figure in kept:
        which = "this" if period.start <= figure.on <= period.end else "last"
        found.setdefault(figure.metric, []).append((which, figure))
    return found


Kept = dict[str, list[tuple[str, KeptFigure]]]


@dataclass
class _Counts:
    """Per offence group and period: crimes, positive outcomes, diversions, NFAs, ongoing, arrested."""

    by_group: dict[tuple[str, str], dict[str, int]]

    def add(self, group: str, which: str, name: str, n: int) -> None:
        self.by_group.setdefault((group, which), dict.fromkeys(("crimes", "arrested", *CLASSES), 0))[name] += n

    def total(self, which: str, name: str, group: str | None = None) -> int:
        return sum(c[name] for (g, w), c in self.by_group.items() if w == which and group in (None, g))


def _crime_counts(crimes: QuerySet[Incident], kept: Kept, period: Period, last: Period) -> _Counts:
    """One query over the crimes, grouped by offence category, period, outcome type and whether
    there was an arrest (a few dozen rows), classed here. The crimes with an arrest are one (hashed)
    set, not looked up per crime; grouping by these rather than counting each measure with its own
    condition per crime: 1.1-1.4 s to 0.3 s at the benchmark's scale."""
    arrested = Q(investigation__in=JusticeEvent.objects.filter(kind=EventKind.ARREST).values("investigation_id"))
    this, earlier = period.moments("occurred_at"), last.moments("occurred_at")
    rows = (
        crimes.filter(this | earlier)
        .annotate(
            _this=DbCase(When(this, then=Value(True)), default=Value(False)),
            _arrested=DbCase(When(arrested, then=Value(True)), default=Value(False)),
        )
        .values("offence_category", "_this", "investigation__outcome_type", "_arrested")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = _Counts({})
    for row in rows:
        group = OFFENCE_GROUPS.get(row["offence_category"], "Other")
        which, n = ("this" if row["_this"] else "last"), row["n"]
        counts.add(group, which, "crimes", n)
        if row["_arrested"]:
            counts.add(group, which, "arrested", n)
        klass = outcome_class(row["investigation__outcome_type"] or "")
        if klass != "other":
            counts.add(group, which, klass, n)
    for which, figure in kept.get(CRIME, []):
        category, klass, was_arrested = (figure.label.split("|") + ["", "", "0"])[:3]
        group = OFFENCE_GROUPS.get(category, "Other")
        counts.add(group, which, "crimes", figure.count)
        counts.add(group, which, klass if klass in CLASSES else "other", figure.count)
        if was_arrested == "1":
            counts.add(group, which, "arrested", figure.count)
    return counts


def justice_sections(
    *, agency: Agency, period: Period, area_id: int | None = None, operation_id: int | None = None
) -> list[Section]:
    last = period.year_earlier()
    cases = report_selectors.report_cases(agency, area_id, operation_id)
    kept = _kept(agency, area_id, operation_id, period, last)
    crimes = Incident.objects.filter(is_crime=True, perpetrator_id__in=cases.values("perpetrator_id"))
    counts = _crime_counts(crimes, kept, period, last)

    def decided(which: str, group: str | None = None) -> int:
        return counts.total(which, "crimes", group) - counts.total(which, "ongoing", group)

    outcome_rows: list[Row | RateRow] = []
    for group in [g for g in GROUP_ORDER if any(k[0] == g for k in counts.by_group)]:
        outcome_rows += [
            Row(f"{group}: crimes", counts.total("this", "crimes", group), counts.total("last", "crimes", group)),
            Row(
                f"{group}: positive outcomes",
                counts.total("this", "positive", group),
                counts.total("last", "positive", group),
            ),
            RateRow(
                f"{group}: positive outcome rate (%)",
                counts.total("this", "positive", group),
                decided("this", group),
                counts.total("last", "positive", group),
                decided("last", group),
            ),
        ]
    outcome_rows += [
        Row("All crimes", counts.total("this", "crimes"), counts.total("last", "crimes")),
        Row(
            "Still under investigation (left out of the rate)",
            counts.total("this", "ongoing"),
            counts.total("last", "ongoing"),
        ),
        Row("Crimes with an outcome", decided("this"), decided("last")),
        Row("Positive outcomes (types 1-4, 6-8)", counts.total("this", "positive"), counts.total("last", "positive")),
        RateRow(
            "Positive outcome rate (%)",
            counts.total("this", "positive"),
            decided("this"),
            counts.total("last", "positive"),
            decided("last"),
        ),
        Row(
            "Diversion (type 22, not in the rate)", counts.total("this", "diversion"), counts.total("last", "diversion")
        ),
        Row("No further action", counts.total("this", "nfa"), counts.total("last", "nfa")),
    ]
    return [
        Section("Justice outcomes by offence group", outcome_rows),
        _arrests_section(crimes, kept, counts, period, last),
        _nfa_section(cases, kept, period, last),
        _victim_updates_section(cases, kept, period, last),
    ]


def _arrests_section(crimes: QuerySet[Incident], kept: Kept, counts: _Counts, period: Period, last: Period) -> Section:
    arrests = JusticeEvent.objects.filter(kind=EventKind.ARREST, investigation__incident__in=crimes)
    live = arrests.aggregate(
        this=Count("investigation__incident__perpetrator_id", distinct=True, filter=period.moments("occurred_at")),
        last=Count("investigation__incident__perpetrator_id", distinct=True, filter=last.moments("occurred_at")),
        arrests_this=Count("pk", filter=period.moments("occurred_at")),
        arrests_last=Count("pk", filter=last.moments("occurred_at")),
    )
    gone = {"this": 0, "last": 0, "arrests_this": 0, "arrests_last": 0}
    for which in ("this", "last"):
        arrested = [figure for w, figure in kept.get(ARREST, []) if w == which]
        gone[which] = len({figure.source_id for figure in arrested})
        gone[f"arrests_{which}"] = sum(figure.count for figure in arrested)
    return Section(
        "Arrests",
        [
            Row("Suspects arrested", live["this"] + gone["this"], live["last"] + gone["last"]),
            Row("Arrests", live["arrests_this"] + gone["arrests_this"], live["arrests_last"] + gone["arrests_last"]),
            Row("Crimes with an arrest", counts.total("this", "arrested"), counts.total("last", "arrested")),
            RateRow(
                "Arrest rate: crimes with an arrest / crimes (%)",
                counts.total("this", "arrested"),
                counts.total("this", "crimes"),
                counts.total("last", "arrested"),
                counts.total("last", "crimes"),
            ),
        ],
    )


def _nfa_section(cases: QuerySet[Case], kept: Kept, period: Period, last: Period) -> Section:
    reviews = NfaReview.objects.filter(case__in=cases.values("pk"))
    live = reviews.aggregate(
        **{
            f"{name}_{which}": Count("pk", filter=when.moments("reviewed_at") & condition)
            for which, when in (("this", period), ("last", last))
            for name, condition in (
                ("reviewed", Q()),
                ("overturned", Q(decision=ReviewDecision.OVERTURNED)),
                ("cps", Q(referred_to_cps=True)),
            )
        },
        decided_this=Count("pk", filter=period.moments("event__occurred_at")),
        decided_last=Count("pk", filter=last.moments("event__occurred_at")),
    )
    decided = {"this": live["decided_this"], "last": live["decided_last"]}
    gone: dict[str, int] = {}
    for which, figure in kept.get(NFA_REVIEWED, []):
        for name, counted in (
            ("reviewed", True),
            ("overturned", figure.label.startswith(ReviewDecision.OVERTURNED)),
            ("cps", figure.label.endswith("|cps")),
        ):
            if counted:
                gone[f"{name}_{which}"] = gone.get(f"{name}_{which}", 0) + figure.count

    def both(name: str) -> tuple[int, int]:
        return live[f"{name}_this"] + gone.get(f"{name}_this", 0), live[f"{name}_last"] + gone.get(f"{name}_last", 0)

    return Section(
        "No further action decisions and their review",
        [
            Row("NFA decisions recorded (on live cases)", decided["this"], decided["last"]),
            Row("Reviewed by a sergeant", *both("reviewed")),
            Row("Overturned on review", *both("overturned")),
            Row("Referred to the CPS after review", *both("cps")),
        ],
    )


def _victim_updates_section(cases: QuerySet[Case], kept: Kept, period: Period, last: Period) -> Section:
    due = (
        Reminder.objects.filter(case__in=cases.values("pk"), kind=ReminderKind.VICTIM_CODE_UPDATE_DUE)
        .exclude(status=ReminderStatus.DISMISSED)
        .alias(closed_on=TruncDate("closed_at"))
    )
    in_time = Q(status=ReminderStatus.DONE, closed_on__lte=F("due_on"))
    live = due.aggregate(
        due_this=Count("pk", filter=period.dates("due_on")),
        due_last=Count("pk", filter=last.dates("due_on")),
        kept_this=Count("pk", filter=period.dates("due_on") & in_time),
        kept_last=Count("pk", filter=last.dates("due_on") & in_time),
    )
    for which, figure in kept.get(VICTIM_UPDATE_DUE, []):
        live[f"due_{which}"] += figure.count
        if figure.label == "in_time":
            live[f"kept_{which}"] += figure.count
    return Section(
        "Victims' Code updates",
        [
            Row("Updates due to victims", live["due_this"], live["due_last"]),
            Row("Given in time (within 1 working day)", live["kept_this"], live["kept_last"]),
            RateRow("Given in time (%)", live["kept_this"], live["due_this"], live["kept_last"], live["due_last"]),
        ],
    )


def case_justice_figures(case: Case) -> list[Figure]:
    """What the justice sections count from this case, kept when it is disposed of. Crimes and
    arrests belong to the perpetrator: kept when their last case goes (and their incidents with it)."""
    figures: list[Figure] = []
    for decision, referred, at in NfaReview.objects.filter(case=case, reviewed_at__isnull=False).values_list(
        "decision", "referred_to_cps", "reviewed_at"
    ):
        figures.append(Figure(NFA_REVIEWED, report_figures._day(at), label=decision + ("|cps" if referred else "")))
    for status, due_on, closed_at in (
        Reminder.objects.filter(case=case, kind=ReminderKind.VICTIM_CODE_UPDATE_DUE)
        .exclude(status=ReminderStatus.DISMISSED)
        .values_list("status", "due_on", "closed_at")
    ):
        in_time = status == ReminderStatus.DONE and closed_at is not None and report_figures._day(closed_at) <= due_on
        figures.append(Figure(VICTIM_UPDATE_DUE, due_on, label="in_time" if in_time else "late"))
    if Case.objects.filter(perpetrator_id=case.perpetrator_id).exclude(pk=case.pk).exists():
        return figures
    arrested = JusticeEvent.objects.filter(investigation__incident=OuterRef("pk"), kind=EventKind.ARREST)
    for category, outcome_type, at, was_arrested in (
        Incident.objects.filter(perpetrator_id=case.perpetrator_id, is_crime=True)
        .annotate(_arrested=Exists(arrested))
        .values_list("offence_category", "investigation__outcome_type", "occurred_at", "_arrested")
    ):
        label = f"{category}|{outcome_class(outcome_type or '')}|{int(was_arrested)}"
        figures.append(Figure(CRIME, report_figures._day(at), label=label))
    for at in JusticeEvent.objects.filter(
        kind=EventKind.ARREST, investigation__incident__perpetrator_id=case.perpetrator_id
    ).values_list("occurred_at", flat=True):
        figures.append(Figure(ARREST, report_figures._day(at), source_id=case.perpetrator_id))
    return figures


report_selectors.register_report_sections(justice_sections)
report_figures.FIGURE_HOOKS.append(case_justice_figures)
