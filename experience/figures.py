"""Victim satisfaction in the performance report, and the figures kept when a case is disposed of.

For each aspect: % satisfied = answers "completely", "very" or "fairly satisfied" / answers given, in
surveys dated (`surveyed_on`) in the period; "did not want to answer" is not an answer given, and a
survey the victim declined gives none. Low when % satisfied is below the force's threshold for the
aspect (SatisfactionThreshold, compared on the exact fraction, not the rounded percentage), Normal
otherwise; "no answers" when none were given. The cases counted are the report's: the force's,
in the area and operation chosen; disposed cases' surveys are counted from their kept figures.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet, Sum

from cases.models import Case
from dacrre.accounts.models import Agency
from reports.figures import FIGURE_HOOKS, Figure
from reports.models import KeptFigure
from reports.selectors import Period, Row, Section, register_report_sections

from .models import SATISFIED, Aspect, Satisfaction, SatisfactionSurvey, SatisfactionThreshold, SurveyOutcome

# The figures a disposed case's surveys leave (reports.models.KeptFigure), by surveyed_on.
ANSWERS_GIVEN = "satisfaction_given"  # label: the aspect; one per answer given
ANSWERS_SATISFIED = "satisfaction_satisfied"  # label: the aspect
SURVEY_ANSWERED = "survey_answered"
SURVEY_DECLINED = "survey_declined"
METRICS = (ANSWERS_GIVEN, ANSWERS_SATISFIED, SURVEY_ANSWERED, SURVEY_DECLINED)

LOW, NORMAL, NO_ANSWERS = "Low", "Normal", "no answers"


class RateRow(Row):
    """A row of whole percentages: the difference is in percentage points; a % change of a
    percentage would mislead, so there is none."""

    @property
    def percent_change(self) -> Decimal | None:
        return None


def percent(part: int, whole: int) -> int:
    if not whole:
        return 0
    return int((Decimal(part * 100) / whole).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def status(satisfied: int, given: int, threshold: int) -> str:
    if not given:
        return NO_ANSWERS
    return LOW if satisfied * 100 < threshold * given else NORMAL


def _given(aspect: str) -> Q:
    return ~Q(**{aspect: ""}) & ~Q(**{aspect: Satisfaction.DECLINED})


def _live(surveys: QuerySet[SatisfactionSurvey], this: Q, last: Q) -> dict[str, int]:
    counts = {
        "answered_this": Count("pk", filter=this & Q(outcome=SurveyOutcome.ANSWERED)),
        "answered_last": Count("pk", filter=last & Q(outcome=SurveyOutcome.ANSWERED)),
        "declined_this": Count("pk", filter=this & Q(outcome=SurveyOutcome.DECLINED)),
        "declined_last": Count("pk", filter=last & Q(outcome=SurveyOutcome.DECLINED)),
    }
    for aspect in Aspect.values:
        satisfied = Q(**{f"{aspect}__in": list(SATISFIED)})
        for name, when in (("this", this), ("last", last)):
            counts[f"{aspect}_given_{name}"] = Count("pk", filter=when & _given(aspect))
            counts[f"{aspect}_satisfied_{name}"] = Count("pk", filter=when & satisfied)
    return surveys.aggregate(**counts)


def _kept(figures: QuerySet[KeptFigure], this: Q, last: Q) -> dict[str, int]:
    keys = {
        SURVEY_ANSWERED: "answered",
        SURVEY_DECLINED: "declined",
        ANSWERS_GIVEN: "{label}_given",
        ANSWERS_SATISFIED: "{label}_satisfied",
    }
    found: dict[str, int] = {}
    rows = (
        figures.filter(metric__in=METRICS)
        .filter(this | last)
        .values("metric", "label")
        .annotate(this=Sum("count", filter=this), last=Sum("count", filter=last))
    )
    for row in rows:
        key = keys[row["metric"]].format(label=row["label"])
        found[f"{key}_this"] = row["this"] or 0
        found[f"{key}_last"] = row["last"] or 0
    return found


def satisfaction_section(
    *, agency: Agency, period: Period, area_id: int | None = None, operation_id: int | None = None
) -> Section:
    """This period against the same period last year: surveys answered and declined, and each
    aspect's % satisfied with its status. Three queries (surveys, kept figures, thresholds)."""
    last_year = period.year_earlier()
    surveys = SatisfactionSurvey.objects.filter(case__owning_agency=agency)
    kept = KeptFigure.objects.filter(owning_agency=agency)
    if area_id is not None:
        surveys, kept = surveys.filter(case__area_id=area_id), kept.filter(area_id=area_id)
    if operation_id is not None:
        surveys, kept = surveys.filter(case__operation_id=operation_id), kept.filter(operation_id=operation_id)
    live = _live(surveys, period.dates("surveyed_on"), last_year.dates("surveyed_on"))
    disposed = _kept(kept, period.dates("on"), last_year.dates("on"))
    counts = {key: value + disposed.get(key, 0) for key, value in live.items()}
    thresholds = SatisfactionThreshold.for_agency(agency.pk)
    rows: list[Row] = [
        Row("Satisfaction surveys answered", counts["answered_this"], counts["answered_last"]),
        Row("Satisfaction surveys declined by the victim", counts["declined_this"], counts["declined_last"]),
    ]
    for aspect in Aspect:
        threshold = thresholds.of(aspect.value)
        given_this, given_last = counts[f"{aspect.value}_given_this"], counts[f"{aspect.value}_given_last"]
        happy_this, happy_last = counts[f"{aspect.value}_satisfied_this"], counts[f"{aspect.value}_satisfied_last"]
        rows.append(
            RateRow(
                f"{aspect.label}: % satisfied, {status(happy_this, given_this, threshold)} "
                f"({happy_this} of {given_this} answers; Low below {threshold}%; "
                f"same period last year {status(happy_last, given_last, threshold)}, "
                f"{happy_last} of {given_last})",
                percent(happy_this, given_this),
                percent(happy_last, given_last),
            )
        )
    return Section("Victim satisfaction (% satisfied by aspect)", rows)


def case_satisfaction_figures(case: Case) -> list[Figure]:
    """What the report counts from the case's surveys, kept when the case is disposed of (registered
    with reports.figures.FIGURE_HOOKS). No answer is kept, only the counts per aspect and date."""
    figures = []
    for survey in SatisfactionSurvey.objects.filter(case=case):
        metric = SURVEY_ANSWERED if survey.outcome == SurveyOutcome.ANSWERED else SURVEY_DECLINED
        figures.append(Figure(metric, survey.surveyed_on))
        for aspect in Aspect.values:
            answer = getattr(survey, aspect)
            if answer and answer != Satisfaction.DECLINED:
                figures.append(Figure(ANSWERS_GIVEN, survey.surveyed_on, label=aspect))
                if answer in SATISFIED:
                    figures.append(Figure(ANSWERS_SATISFIED, survey.surveyed_on, label=aspect))
    return figures


FIGURE_HOOKS.append(case_satisfaction_figures)


@register_report_sections
def satisfaction_sections(
    *, agency: Agency, period: Period, area_id: int | None = None, operation_id: int | None = None
) -> list[Section]:
    return [satisfaction_section(agency=agency, period=period, area_id=area_id, operation_id=operation_id)]
