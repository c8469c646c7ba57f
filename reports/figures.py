"""What the performance report counts from one case's records, as figures that outlive them.

When a case is disposed of (records.disposal) its rows go, and with them what the report counted
from them; `case_figures_keep` keeps the figures listed here (reports.models.KeptFigure) and the
report adds them back (reports.selectors), so that its counts stay as they were. Each figure is what
one row of the report counts, on the date the report compares with its period.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from cases.models import Case
from disclosures.models import DisclosureOutcome

# The report's counts, by metric: each is one row, or one group of rows, of the report.
CASE_OPENED = "case_opened"
CASE_ALLOCATED = "case_allocated"
CASE_CLOSED = "case_closed"
VICTIM_ASSOCIATED = "victim_associated"
CHILD_ASSOCIATED = "child_associated"
VISIT_COMPLETED = "visit_completed"
VISIT_DUE = "visit_due"
RISK_LEVEL = "risk_level"  # label: the final level
REFERRAL_AGENCY = "referral_agency"  # label: the receiving agency's id ("" for one not on the system)
REFERRAL_STATUS = "referral_status"  # label: the status
INTERVENTION = "intervention"  # label: the kind; source_id: the intervention
ORDER = "order"
BREACH = "breach"
DISCLOSURE_RECEIVED = "disclosure_received"
DISCLOSURE_MADE = "disclosure_made"
INCIDENTS_BEFORE = "incidents_before"  # count: incidents in the window before the case opened
INCIDENTS_AFTER = "incidents_after"
EQUIPMENT_ISSUED = "equipment_issued"
# Programmes belong to the perpetrator: kept when their last case goes (and they with it).
PROGRAMME_ALLOCATED = "programme_allocated"
PROGRAMME_COMPLETED = "programme_completed"
PROGRAMME_WITHDRAWN = "programme_withdrawn"
PROGRAMME_REDUCED = "programme_reduced"  # label: the category of behaviour
# The case's victims and children, counted on the perpetrator's allocations' start dates.
PROGRAMME_VICTIM = "programme_victim"
PROGRAMME_CHILD = "programme_child"


# Figures other apps keep for their own report sections (justice.figures, experience.figures),
# registered at start-up.
FIGURE_HOOKS: list["Callable[[Case], list[Figure]]"] = []


@dataclass(frozen=True)
class Figure:
    metric: str
    on: datetime.date
    label: str = ""
    count: int = 1
    source_id: int | None = None


def _day(moment: datetime.datetime | None) -> datetime.date:
    assert moment is not None  # noqa: S101 - the report counts rows whose moment is set
    return timezone.localdate(moment)


def case_figures(case: Case) -> list[Figure]:
    """Everything the performance report counts from this case, whatever the period."""
    from reports.selectors import Period, _incidents_around_opening, _interventions_for, _visits_due
    from risk.models import RiskAssessment
    from visits.models import Visit, VisitStatus

    one = Case.objects.filter(pk=case.pk)
    opened = _day(case.opened_at)
    figures = [Figure(CASE_OPENED, opened)]
    if case.spoc_id is not None:
        figures.append(Figure(CASE_ALLOCATED, opened))
    if case.closed_at is not None:
        figures.append(Figure(CASE_CLOSED, _day(case.closed_at)))
    figures += [Figure(VICTIM_ASSOCIATED, _day(at)) for at in case.case_victims.values_list("created_at", flat=True)]
    figures += [Figure(CHILD_ASSOCIATED, _day(at)) for at in case.case_children.values_list("created_at", flat=True)]
    completed = Visit.objects.filter(case=case, status=VisitStatus.COMPLETED).values_list("occurred_at", flat=True)
    figures += [Figure(VISIT_COMPLETED, _day(at)) for at in completed]
    figures += [Figure(VISIT_DUE, due) for due in _visits_due(one).values_list("due_on", flat=True)]
    for level, at in RiskAssessment.objects.filter(case=case).values_list("final_level", "assessed_at"):
        figures.append(Figure(RISK_LEVEL, _day(at), label=level))
    for agency_id, status, sent_at in case.referrals.filter(sent_at__isnull=False).values_list(
        "to_agency_id", "status", "sent_at"
    ):
        figures.append(Figure(REFERRAL_AGENCY, _day(sent_at), label=str(agency_id or "")))
        figures.append(Figure(REFERRAL_STATUS, _day(sent_at), label=status))
    for pk, kind, on in _interventions_for(one).values_list("pk", "kind", "occurred_on"):
        figures.append(Figure(INTERVENTION, on, label=kind, source_id=pk))
    figures += [Figure(ORDER, on) for on in case.orders.values_list("starts_on", flat=True)]
    from orders.models import OrderBreach

    figures += [
        Figure(BREACH, on) for on in OrderBreach.objects.filter(order__case=case).values_list("occurred_on", flat=True)
    ]
    for received, outcome, outcome_on in case.disclosure_applications.values_list(
        "received_on", "outcome", "outcome_on"
    ):
        figures.append(Figure(DISCLOSURE_RECEIVED, received))
        if outcome == DisclosureOutcome.MADE and outcome_on is not None:
            figures.append(Figure(DISCLOSURE_MADE, outcome_on))
    figures += [Figure(EQUIPMENT_ISSUED, on) for on in case.equipment_issues.values_list("issued_on", flat=True)]
    figures += _programme_figures(case)
    [(before, after)] = _incidents_around_opening(one, Period(opened, opened))
    figures += [Figure(INCIDENTS_BEFORE, opened, count=before), Figure(INCIDENTS_AFTER, opened, count=after)]
    figures += [figure for hook in FIGURE_HOOKS for figure in hook(case)]
    return [figure for figure in figures if figure.count]


def _programme_figures(case: Case) -> list[Figure]:
    from offender_management.models import BehaviourMeasure, MeasurePoint, ProgrammeAllocation, ProgrammeStageChange

    allocations = ProgrammeAllocation.objects.filter(perpetrator_id=case.perpetrator_id)
    starts = list(allocations.values_list("starts_on", flat=True))
    victims, children = case.case_victims.count(), case.case_children.count()
    figures = [Figure(PROGRAMME_VICTIM, on, count=victims) for on in starts]
    figures += [Figure(PROGRAMME_CHILD, on, count=children) for on in starts]
    if Case.objects.filter(perpetrator_id=case.perpetrator_id).exclude(pk=case.pk).exists():
        return figures  # the perpetrator stays, and their programmes are counted live
    figures += [Figure(PROGRAMME_ALLOCATED, on) for on in starts]
    for to_stage, on in ProgrammeStageChange.objects.filter(allocation__in=allocations).values_list(
        "to_stage", "changed_on"
    ):
        metric = {"completed": PROGRAMME_COMPLETED, "withdrawn": PROGRAMME_WITHDRAWN}.get(to_stage)
        if metric:
            figures.append(Figure(metric, on))
    measures = BehaviourMeasure.objects.filter(allocation__in=allocations)
    begun = {m.allocation_id: m.scores for m in measures if m.point == MeasurePoint.START}
    for measure in measures:
        if measure.point == MeasurePoint.EXIT:
            start = begun.get(measure.allocation_id, {})
            for category, score in measure.scores.items():
                if score < start.get(category, 0):
                    figures.append(Figure(PROGRAMME_REDUCED, measure.measured_on, label=category))
    return figures


def case_figures_keep(case: Case) -> int:
    """Keep the case's figures, in the transaction that disposes of its records. Returns how many."""
    from .models import KeptFigure

    rows = [
        KeptFigure(
            owning_agency_id=case.owning_agency_id,
            area_id=case.area_id,
            operation_id=case.operation_id,
            case_reference=case.reference,
            metric=figure.metric,
            label=figure.label,
            on=figure.on,
            count=figure.count,
            source_id=figure.source_id,
        )
        for figure in case_figures(case)
    ]
    KeptFigure.objects.bulk_create(rows)
    return len(rows)
