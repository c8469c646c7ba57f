"""Report figures against a hand-built dataset, this period against the same period last year."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import CaseStatus, CaseVictim, RiskLevel
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from incidents.models import Incident
from offender_management.models import Intervention, InterventionType
from offender_management.services import intervention_record
from orders.models import OrderKind, ProtectiveOrder
from reminders.models import ReminderStatus
from reports.selectors import Period, Row, performance_report
from risk.models import RiskAssessment
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IncidentFactory,
    ReminderFactory,
    UserFactory,
)
from visits.models import Visit, VisitOutcome, VisitStatus

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))


def at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


def _assessment(case, officer) -> None:
    link = CaseVictimFactory(case=case)
    CaseVictim.objects.filter(pk=link.pk).update(created_at=at(2026, 2, 2))
    RiskAssessment.objects.create(
        case=case,
        victim=link.victim,
        assessed_by=officer,
        assessed_at=at(2026, 2, 2),
        answers={},
        yes_count=15,
        score_level=RiskLevel.HIGH,
        final_level=RiskLevel.HIGH,
        visible_high_risk=True,
        potential_escalation=False,
        repeat_marac=False,
    )


def _figures(sections) -> dict[str, tuple[int, int]]:
    return {row.label: (row.this, row.last) for section in sections for row in section.rows}


@pytest.fixture
def force(db):
    north = AreaFactory(name="North")
    south = AreaFactory(agency=north.agency, name="South")
    officer = UserFactory(area=north)
    # This period: three cases opened in North (two with a SPOC), one in South; last year: one.
    this_year = [
        CaseFactory(area=north, spoc=officer, opened_at=at(2026, 2, 1)),
        CaseFactory(area=north, spoc=officer, opened_at=at(2026, 3, 1)),
        CaseFactory(area=north, opened_at=at(2026, 4, 1)),
        CaseFactory(area=south, spoc=officer, opened_at=at(2026, 5, 1)),
    ]
    last_year = CaseFactory(area=north, spoc=officer, opened_at=at(2025, 3, 1))
    CaseFactory(opened_at=at(2026, 2, 1))  # another force: never counted
    return north, south, officer, this_year, last_year


def test_hand_built_figures(force) -> None:
    north, south, officer, this_year, last_year = force
    first = this_year[0]
    for case, when in [(first, at(2026, 2, 10)), (first, at(2026, 3, 10)), (last_year, at(2025, 4, 1))]:
        Visit.objects.create(
            case=case, status=VisitStatus.COMPLETED, occurred_at=when, outcome=VisitOutcome.SEEN, recorded_by=officer
        )
    _assessment(first, officer)
    ProtectiveOrder.objects.create(
        case=first, kind=OrderKind.DVPO, starts_on=datetime.date(2026, 2, 5), conditions="x", recorded_by=officer
    )
    # Offending around the opening of the first case (1 Feb 2026): 3 incidents before, 1 after.
    for year, month, day in [(2025, 11, 1), (2025, 12, 1), (2026, 1, 15), (2026, 3, 1)]:
        IncidentFactory(perpetrator=first.perpetrator, area=north, occurred_at=at(year, month, day))

    with CaptureQueriesContext(connection) as queries:
        sections = performance_report(agency=north.agency, period=PERIOD)
    figures = _figures(sections)
    assert figures["Perpetrators identified (cases opened)"] == (4, 1)
    assert figures["Perpetrators allocated (opened with a SPOC)"] == (3, 1)
    assert figures["Visits completed"] == (2, 1)
    assert figures["High"] == (1, 0)
    assert figures["Protective orders obtained"] == (1, 0)
    assert figures["Incidents before the case opened"] == (3, 0)
    assert figures["Incidents after the case opened"] == (1, 0)
    assert figures["Victims associated"] == (1, 0)
    assert len(queries) <= 32  # one aggregate per table (equipment 2, programmes 5, justice 5), whatever the data
    north_only = _figures(performance_report(agency=north.agency, period=PERIOD, area_id=north.pk))
    assert north_only["Perpetrators identified (cases opened)"] == (3, 1)
    assert Incident.objects.count() == 4


def test_difference_and_percent_change() -> None:
    assert (Row("x", 15, 10).difference, Row("x", 15, 10).percent_change) == (5, Decimal("50.0"))
    assert Row("x", 3, 0).percent_change is None
    assert Period(datetime.date(2024, 2, 29), datetime.date(2024, 3, 31)).year_earlier().start == datetime.date(
        2023, 2, 28
    )


def test_the_page_exports_and_logs_and_partners_are_refused(force, login) -> None:
    north, _south, officer, this_year, _last = force
    _assessment(this_year[0], officer)
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    client = login(supervisor)
    page = client.get("/reports/?start=1/1/2026&end=30/6/2026").content.decode()
    assert "Perpetrators identified (cases opened)" in page and "<svg" in page
    bad = client.get("/reports/?start=1/7/2026&end=30/6/2026").content.decode()
    assert "The end date must be on or after the start date" in bad and 'value="1/7/2026"' in bad
    csv = client.get("/reports/?start=1/1/2026&end=30/6/2026&format=csv").content.decode()
    assert "Perpetrators identified (cases opened),4,1,3,300.0" in csv
    assert AccessLog.objects.filter(
        user=supervisor, action=AccessAction.EXPORT, object_type="performance report"
    ).exists()
    assert login(UserFactory(area=north, role=Role.OFFICER)).get("/reports/").status_code == 403


def test_the_report_page_uses_the_same_number_of_queries_as_data_grows(force, login) -> None:
    north, _south, officer, this_year, _last = force
    client = login(UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY))
    url = "/reports/?start=1/1/2026&end=30/6/2026"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for case in this_year:
        _assessment(case, officer)
        IncidentFactory(perpetrator=case.perpetrator, area=north, occurred_at=at(2026, 1, 20))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_interventions_recorded_against_all_open_cases_are_counted(force) -> None:
    """Issue 15, item 23: three recorded, three counted (two of them stored with no case)."""
    north, _south, officer, this_year, last_year = force
    first = this_year[0]

    def record(case, perpetrator, kind, occurred_on) -> None:
        intervention_record(
            actor=officer,
            perpetrator=perpetrator,
            case=case,
            kind=kind,
            occurred_on=occurred_on,
            description="Recorded in the test",
        )

    record(first, first.perpetrator, InterventionType.DISRUPTION, datetime.date(2026, 3, 1))
    record(None, first.perpetrator, InterventionType.DISRUPTION, datetime.date(2026, 3, 2))  # all open cases
    record(None, first.perpetrator, InterventionType.SUPPORT, datetime.date(2026, 3, 3))
    record(None, last_year.perpetrator, InterventionType.SUPPORT, datetime.date(2025, 3, 5))
    # Not this force's: a perpetrator whose only case is another force's, and one whose case here
    # was closed before the intervention was recorded.
    elsewhere = CaseFactory(opened_at=at(2026, 2, 1))
    record(None, elsewhere.perpetrator, InterventionType.SUPPORT, datetime.date(2026, 3, 3))
    closed = CaseFactory(area=north, opened_at=at(2026, 1, 10), status=CaseStatus.CLOSED, closed_at=at(2026, 2, 1))
    record(None, closed.perpetrator, InterventionType.SUPPORT, datetime.date(2026, 1, 20))
    # Two cases of one perpetrator here: an intervention against all of them is still one intervention.
    CaseFactory(area=north, perpetrator=first.perpetrator, opened_at=at(2026, 2, 20))
    assert Intervention.objects.filter(occurred_on__year=2026).count() == 5

    figures = _figures(performance_report(agency=north.agency, period=PERIOD))
    assert figures["Disruption"] == (2, 0)
    assert figures["Support"] == (1, 1)
    assert sum(this for label, (this, _last) in figures.items() if label in {"Disruption", "Support"}) == 3
    south_only = _figures(performance_report(agency=north.agency, period=PERIOD, area_id=_south.pk))
    assert "Disruption" not in south_only and "Support" not in south_only


def test_a_due_date_raised_again_is_one_visit_due(force) -> None:
    north, _south, officer, this_year, _last = force
    due = datetime.date(2026, 3, 1)
    ReminderFactory(case=this_year[0], due_on=due, status=ReminderStatus.DONE)
    ReminderFactory(case=this_year[0], due_on=due)  # the same date, due again after a late visit record
    ReminderFactory(case=this_year[1], due_on=due)
    assert _figures(performance_report(agency=north.agency, period=PERIOD))["Visits due"] == (2, 0)


def test_each_chart_shows_both_periods_for_every_row_with_whole_labels(force, login) -> None:
    """Seen: labels cut at 32 characters ("...Social Car") and bars for this period only, beside a
    table comparing two."""
    import re

    from reports.selectors import Section

    long_label = "Northshire Children's Social Care and Early Help"
    section = Section("Referrals by agency", [Row(long_label, 4, 0), Row("Housing", 2, 8)], chart=True)
    bars = section.bars
    assert bars[0]["label"] == long_label
    assert (bars[0]["this_length"], bars[0]["last_length"]) == (50.0, 0.0)
    assert (bars[1]["this_length"], bars[1]["last_length"]) == (25.0, 100.0)

    north, _south, officer, this_year, _last = force
    _assessment(this_year[0], officer)
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    page = login(supervisor).get("/reports/?start=1/1/2026&end=30/6/2026").content.decode()
    chart = page[page.index('<div class="dacrre-chart"') : page.index("</div>\n", page.index("dacrre-chart__key"))]
    assert "This period" in chart and "Same period last year" in chart
    rows = re.findall(r'<p class="govuk-body-s dacrre-chart__label">([^<]+)</p>', page)
    assert "High" in rows
    # Two bars, each with its figure, per row.
    assert page.count("dacrre-chart__fill--this") == page.count("dacrre-chart__fill--last") == len(rows)


def test_a_period_is_its_local_days_whatever_the_clock_change(db) -> None:
    """Counted by the instants of the period's local midnights: 30 June 2026 is BST (23:30 is 22:30
    UTC: in the period; 00:30 on 1 July is 23:30 UTC on 30 June: not), 1 January is GMT."""
    area = AreaFactory()
    local = timezone.make_aware
    for moment in (
        local(datetime.datetime(2026, 6, 30, 23, 30)),  # in
        local(datetime.datetime(2026, 7, 1, 0, 30)),  # out
        local(datetime.datetime(2026, 1, 1, 0, 0)),  # in: the first instant
        local(datetime.datetime(2025, 12, 31, 23, 59, 59)),  # out (in no period)
        local(datetime.datetime(2025, 6, 30, 23, 30)),  # last year's last evening: in last year's
        local(datetime.datetime(2025, 7, 1, 0, 30)),  # out
    ):
        CaseFactory(area=area, opened_at=moment)
    assert PERIOD.instants() == (
        datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        datetime.datetime(2026, 6, 30, 23, tzinfo=datetime.UTC),
    )
    figures = _figures(performance_report(agency=area.agency, period=PERIOD))
    assert figures["Perpetrators identified (cases opened)"] == (2, 1)
