"""The report's justice sections on a hand-built dataset, each expected number worked out here.

Period: the last 30 days; "last year": the same days a year earlier. Force North has two cases:
A (perpetrator P1) and B (perpetrator P2). Another force's crime and a non-crime are never counted.

This period, crimes (occurred in the period):
  c1 ABH (P1)              arrested, charged                  -> positive (type 1)
  c2 common assault (P1)   arrested, NFA type 16              -> NFA
  c3 harassment (P1)       community resolution (type 8)      -> positive
  c4 ABH (P2)              arrested, still under investigation -> ongoing
  c5 common assault (P1)   diversion (type 22)                -> not positive, not ongoing
  crimes 5; ongoing 1; with an outcome 4; positive 2 -> rate 2/4 = 50.0%
  by group: violence with injury c1, c4: 2 crimes, 1 positive, 1 decided -> 100.0%
            violence without injury c2, c5: 2 crimes, 0 positive, 2 decided -> 0.0%
            stalking and harassment c3: 1 crime, 1 positive -> 100.0%
  arrests 3 (c1, c2, c4), suspects 2 (P1, P2); crimes with an arrest 3/5 -> 60.0%
Last year:
  l1 ABH (P1) arrested, charged -> positive; l2 common assault (P1) NFA 14; l3 harassment (P1) NFA 16
  crimes 3; ongoing 0; positive 1 -> 33.3%; rate difference 50.0 - 33.3 = 16.7 points
  arrests 1, suspects 1, crimes with an arrest 1/3 -> 33.3%
NFA decisions: this period 1 (c2), last year 2 (l2, l3); reviewed today: c2 and l2 (upheld) -> 2 this, 0 last.
Victims' Code updates (reminders on case A): due this period 3 (one dismissed is not due), one given
in time -> 33.3%; last year 1 due, given in time -> 100.0%.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from incidents.models import OffenceCategory
from justice.figures import justice_sections
from justice.models import EventKind, NfaReview
from justice.services import Step, nfa_review_record, outcome_record
from records.services import case_dispose
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reports.selectors import Period, performance_report
from tests.factories import AreaFactory, CaseFactory, IncidentFactory, UserFactory
from tests.records.conftest import close_long_ago

TODAY = timezone.localdate()
PERIOD = Period(TODAY - datetime.timedelta(days=30), TODAY)
LAST = PERIOD.year_earlier()


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def ago(days: int, hour: int = 10) -> datetime.datetime:
    return at(TODAY - datetime.timedelta(days=days), hour)


@pytest.fixture
def dataset(db):
    north = AreaFactory(name="North")
    officer = UserFactory(area=north)
    sergeant = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA)
    case_a = CaseFactory(area=north, spoc=officer)
    case_b = CaseFactory(area=north, spoc=officer, operation=case_a.operation)

    def crime(case, category, when):
        return IncidentFactory(area=north, perpetrator=case.perpetrator, offence_category=category, occurred_at=when)

    def step(case, incident, kind, when, **fields):
        return outcome_record(
            actor=officer, case=case, incident=incident, step=Step(kind=kind, occurred_at=when, **fields)
        )

    c1 = crime(case_a, OffenceCategory.ABH, ago(10))
    step(case_a, c1, EventKind.ARREST, ago(9))
    step(case_a, c1, EventKind.CHARGE, ago(8))
    c2 = crime(case_a, OffenceCategory.COMMON_ASSAULT, ago(12))
    step(case_a, c2, EventKind.ARREST, ago(11))
    nfa_c2 = step(case_a, c2, EventKind.NFA, ago(7), outcome_type="16", reason="Victim withdrew")
    c3 = crime(case_a, OffenceCategory.HARASSMENT, ago(5))
    step(case_a, c3, EventKind.OUT_OF_COURT, ago(4), outcome_type="8")
    c4 = crime(case_b, OffenceCategory.ABH, ago(3))
    step(case_b, c4, EventKind.ARREST, ago(2))
    c5 = crime(case_a, OffenceCategory.COMMON_ASSAULT, ago(4))
    step(case_a, c5, EventKind.OUT_OF_COURT, ago(3), outcome_type="22")

    l1 = crime(case_a, OffenceCategory.ABH, at(LAST.start + datetime.timedelta(days=5)))
    step(case_a, l1, EventKind.ARREST, at(LAST.start + datetime.timedelta(days=5), 14))
    step(case_a, l1, EventKind.CHARGE, at(LAST.start + datetime.timedelta(days=6)))
    l2 = crime(case_a, OffenceCategory.COMMON_ASSAULT, at(LAST.start + datetime.timedelta(days=7)))
    nfa_l2 = step(case_a, l2, EventKind.NFA, at(LAST.start + datetime.timedelta(days=9)), outcome_type="14", reason="x")
    l3 = crime(case_a, OffenceCategory.HARASSMENT, at(LAST.start + datetime.timedelta(days=8)))
    step(case_a, l3, EventKind.NFA, at(LAST.start + datetime.timedelta(days=9)), outcome_type="16", reason="y")

    for event in (nfa_c2, nfa_l2):
        nfa_review_record(
            actor=sergeant,
            review=NfaReview.objects.get(event=event),
            decision="upheld",
            referred_to_cps=False,
            comments="ok",
        )

    # Never counted: another force's case and crime; a non-crime incident of P1.
    elsewhere = CaseFactory()
    outcome_record(
        actor=UserFactory(area=elsewhere.area),
        case=elsewhere,
        incident=IncidentFactory(area=elsewhere.area, perpetrator=elsewhere.perpetrator, occurred_at=ago(6)),
        step=Step(kind=EventKind.CHARGE, occurred_at=ago(5)),
    )
    IncidentFactory(
        area=north,
        perpetrator=case_a.perpetrator,
        is_crime=False,
        offence_category=OffenceCategory.NON_CRIME,
        occurred_at=ago(6),
    )

    # The cases have no victims: the only Victims' Code reminders are these.
    def reminder(due, status, closed=None, key="victim:1"):
        Reminder.objects.create(
            kind=ReminderKind.VICTIM_CODE_UPDATE_DUE,
            case=case_a,
            subject_key=key,
            due_on=due,
            status=status,
            closed_at=closed,
        )

    reminder(TODAY - datetime.timedelta(days=5), ReminderStatus.DONE, ago(6), key="victim:1")
    reminder(TODAY - datetime.timedelta(days=5), ReminderStatus.DONE, ago(3), key="victim:2")
    reminder(TODAY - datetime.timedelta(days=2), ReminderStatus.OPEN)
    reminder(TODAY - datetime.timedelta(days=10), ReminderStatus.DISMISSED, ago(9))
    reminder(LAST.start + datetime.timedelta(days=3), ReminderStatus.DONE, at(LAST.start + datetime.timedelta(days=3)))
    return north, case_a, case_b


def _rows(sections) -> dict[str, tuple]:
    return {
        f"{section.title} / {row.label}": (row.this, row.last, row.difference)
        for section in sections
        for row in section.rows
    }


def test_each_justice_figure_is_the_number_worked_out_by_hand(dataset) -> None:
    north, _case_a, _case_b = dataset
    rows = _rows(justice_sections(agency=north.agency, period=PERIOD))
    g = "Justice outcomes by offence group / "
    assert rows[g + "All crimes"][:2] == (5, 3)
    assert rows[g + "Still under investigation (left out of the rate)"][:2] == (1, 0)
    assert rows[g + "Crimes with an outcome"][:2] == (4, 3)
    assert rows[g + "Positive outcomes (types 1-4, 6-8)"][:2] == (2, 1)
    assert rows[g + "Positive outcome rate (%)"] == (Decimal("50.0"), Decimal("33.3"), Decimal("16.7"))
    assert rows[g + "Diversion (type 22, not in the rate)"][:2] == (1, 0)
    assert rows[g + "No further action"][:2] == (1, 2)
    assert rows[g + "Violence with injury: crimes"][:2] == (2, 1)
    assert rows[g + "Violence with injury: positive outcome rate (%)"][:2] == (Decimal("100.0"), Decimal("100.0"))
    assert rows[g + "Violence without injury: positive outcome rate (%)"][:2] == (Decimal("0.0"), Decimal("0.0"))
    assert rows[g + "Stalking and harassment: positive outcome rate (%)"][:2] == (Decimal("100.0"), Decimal("0.0"))
    a = "Arrests / "
    assert rows[a + "Suspects arrested"][:2] == (2, 1)
    assert rows[a + "Arrests"][:2] == (3, 1)
    assert rows[a + "Crimes with an arrest"][:2] == (3, 1)
    assert rows[a + "Arrest rate: crimes with an arrest / crimes (%)"] == (
        Decimal("60.0"),
        Decimal("33.3"),
        Decimal("26.7"),
    )
    n = "No further action decisions and their review / "
    assert rows[n + "NFA decisions recorded (on live cases)"][:2] == (1, 2)
    assert rows[n + "Reviewed by a sergeant"][:2] == (2, 0)
    assert rows[n + "Overturned on review"][:2] == (0, 0)
    v = "Victims' Code updates / "
    assert rows[v + "Updates due to victims"][:2] == (3, 1)
    assert rows[v + "Given in time (within 1 working day)"][:2] == (1, 1)
    assert rows[v + "Given in time (%)"][:2] == (Decimal("33.3"), Decimal("100.0"))


def test_the_sections_are_in_the_performance_report_and_by_operation(dataset) -> None:
    north, case_a, _case_b = dataset
    titles = [s.title for s in performance_report(agency=north.agency, period=PERIOD)]
    assert "Justice outcomes by offence group" in titles and "Victims' Code updates" in titles
    other_operation = _rows(
        justice_sections(agency=north.agency, period=PERIOD, operation_id=case_a.operation_id + 999)
    )
    assert other_operation["Justice outcomes by offence group / All crimes"][:2] == (0, 0)


def test_a_disposed_case_keeps_its_justice_figures(dataset) -> None:
    north, _case_a, case_b = dataset
    before = _rows(justice_sections(agency=north.agency, period=PERIOD))
    dpo = UserFactory(area=None, agency=north.agency, role=Role.DPO, scope=Scope.NONE)
    close_long_ago(case_b)
    case_dispose(actor=dpo, case_id=case_b.public_id, reason="Review period passed; nothing since.")
    assert not type(case_b).objects.filter(pk=case_b.pk).exists()
    assert _rows(justice_sections(agency=north.agency, period=PERIOD)) == before


def test_a_supervisor_reads_the_sections_on_the_report_page_and_in_the_download(dataset, login) -> None:
    north, _case_a, _case_b = dataset
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    client = login(supervisor)
    period = {"start": PERIOD.start.strftime("%d/%m/%Y"), "end": PERIOD.end.strftime("%d/%m/%Y")}
    page = client.get(reverse("reports:performance"), period).content.decode()
    assert "Positive outcome rate (%)" in page and "+16.7" in page and "Still under investigation" in page
    csv = client.get(reverse("reports:performance"), {**period, "format": "csv"}).content.decode()
    # A rate with its count and base, as the report's other rates are shown.
    assert "Arrest rate: crimes with an arrest / crimes (%),60.0% (3 of 5),33.3% (1 of 3)," in csv
