"""The accountability measures on a hand-built dataset, each expected figure worked out here; and the
pack as a page and a workbook, for the force's supervisors and analysts only, logged."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from disclosures.models import Decision, DisclosureApplication, DisclosureOutcome, Route
from incidents.models import OffenceCategory
from meetings.models import AgendaItem, Meeting, MeetingKind
from orders.models import OrderKind, OrderRoute, ProtectiveOrder
from reports.accountability import Scope as ReportScope
from reports.accountability import (
    disclosures_section,
    evaluation,
    orders_section,
    rates_section,
)
from reports.forms import PeriodForm
from reports.selectors import Period
from scoring.models import PerpetratorScore
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IncidentFactory,
    PerpetratorFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimFactory,
)

pytestmark = pytest.mark.django_db

PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
TODAY = datetime.date(2026, 11, 27)


def at(year: int, month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, 12, 0))


@pytest.fixture
def north():
    return AreaFactory(name="North")


def _rows(section) -> dict[str, tuple]:
    return {row.label: (row.this, row.last) for row in section.rows}


def test_repeat_victimisation_counts_victims_with_another_incident_within_12_months(north) -> None:
    repeat, single, long_ago = VictimFactory(), VictimFactory(), VictimFactory()
    for victim, moments in (
        (repeat, [at(2026, 3, 1), at(2025, 6, 1)]),  # 9 months before: a repeat
        (single, [at(2026, 2, 1)]),
        (long_ago, [at(2026, 4, 1), at(2024, 12, 1)]),  # 16 months before: not a repeat
    ):
        for moment in moments:
            IncidentFactory(area=north, occurred_at=moment).victims.add(victim)
    # Last year's period (Jan-Jun 2025): the 2025-06-01 incident; its victim had none before.
    IncidentFactory(area=AreaFactory(), occurred_at=at(2026, 3, 1)).victims.add(VictimFactory())  # another force
    section = rates_section(ReportScope(agency=north.agency, period=PERIOD))
    row = next(r for r in section.rows if r.label.startswith("Repeat victimisation"))
    assert (row.this_count, row.this_of, row.this) == (1, 3, Decimal("33.3"))
    assert (row.last_count, row.last_of, row.last) == (0, 1, Decimal("0.0"))
    assert row.difference == Decimal("33.3") and row.difference_shown == "+33.3 points"
    assert row.this_shown == "33.3% (1 of 3)"


def test_repeat_victimisation_at_its_edges(north) -> None:
    """The look-back is the 12 months (365 days) up to the incident, the earlier incident may be in
    another of the force's areas but not at the same instant nor another force's; the period is its
    local days (30 June 2026 is BST: 23:30 is 22:30 UTC, in the period; 00:30 on 1 July is not)."""
    south = AreaFactory(agency=north.agency)
    late = timezone.make_aware(datetime.datetime(2026, 6, 30, 23, 30))
    after = timezone.make_aware(datetime.datetime(2026, 7, 1, 0, 30))
    year = datetime.timedelta(days=365)
    exactly, just_over, same_instant, elsewhere, other_force, late_one, outside = (VictimFactory() for _ in range(7))
    for victim, area, moment in (
        (exactly, north, at(2026, 3, 1)),
        (exactly, south, at(2026, 3, 1) - year),  # exactly 12 months before, in another area: a repeat
        (just_over, north, at(2026, 3, 1)),
        (just_over, north, at(2026, 3, 1) - year - datetime.timedelta(seconds=1)),  # just over: not a repeat
        (same_instant, north, at(2026, 3, 1)),
        (same_instant, north, at(2026, 3, 1)),  # at the same instant: not an earlier one
        (elsewhere, south, at(2026, 3, 1)),  # in the period, but in South
        (elsewhere, north, at(2026, 2, 1)),  # a repeat once South's incident counts (the whole force)
        (other_force, north, at(2026, 3, 1)),
        (other_force, AreaFactory(), at(2026, 2, 1)),  # another force's incident: not a repeat
        (late_one, north, late),
        (late_one, north, late - datetime.timedelta(days=30)),
        (outside, north, after),  # after the period's last local day
        (outside, north, after - datetime.timedelta(days=30)),
    ):
        IncidentFactory(area=area, occurred_at=moment).victims.add(victim)
    # All areas: seven victims in the period; repeats: exactly, elsewhere (South's incident) and
    # late_one (outside's repeat is on 1 July). Last year: the two earlier incidents of exactly and
    # just_over (North: just_over's), none before them.
    # North only: elsewhere's North incident (1 Feb) has none before it, so two repeats.
    for area_id, expected in ((None, (3, 7, 0, 2)), (north.pk, (2, 7, 0, 1))):
        section = rates_section(ReportScope(agency=north.agency, period=PERIOD, area_id=area_id))
        row = next(r for r in section.rows if r.label.startswith("Repeat victimisation"))
        assert (row.this_count, row.this_of, row.last_count, row.last_of) == expected, area_id


def test_repeat_marac_and_repeat_dvpo_per_couple(north) -> None:
    chair = UserFactory(area=north)
    first, second = CaseFactory(area=north), CaseFactory(area=north)
    for held_on, cases in (
        (datetime.date(2025, 9, 1), [first]),
        (datetime.date(2026, 2, 1), [first, second]),
    ):
        meeting = Meeting.objects.create(
            kind=MeetingKind.MARAC, held_on=held_on, chair_agency=north.agency, created_by=chair
        )
        for case in cases:
            AgendaItem.objects.create(meeting=meeting, case=case, added_by=chair)
    victim_one = CaseVictimFactory(case=first).victim
    victim_two = CaseVictimFactory(case=second).victim

    def dvpo(case, victim, starts_on):
        order = ProtectiveOrder.objects.create(
            case=case, kind=OrderKind.DVPO, starts_on=starts_on, conditions="No contact", recorded_by=chair
        )
        order.protected_victims.add(victim)

    dvpo(first, victim_one, datetime.date(2025, 11, 1))  # the couple's first
    dvpo(first, victim_one, datetime.date(2026, 3, 1))  # their second: a repeat
    dvpo(second, victim_two, datetime.date(2026, 4, 1))
    rows = {row.label: row for row in rates_section(ReportScope(agency=north.agency, period=PERIOD)).rows}
    marac = rows["Repeat MARAC cases (heard within the previous 12 months)"]
    assert (marac.this_count, marac.this_of, marac.this) == (1, 2, Decimal("50.0"))
    assert rows["DVPOs granted"].this == 2
    couples = rows["Couples with a further DVPO (a second or later for the same couple)"]
    assert (couples.this_count, couples.this_of) == (1, 2)
    assert couples.last is None and couples.last_shown == "n/a (none)"


def test_orders_by_type_and_route_and_clares_law_outcomes(north) -> None:
    officer = UserFactory(area=north)
    case = CaseFactory(area=north)
    victim = CaseVictimFactory(case=case).victim
    for kind, route, starts_on in (
        (OrderKind.RESTRAINING, OrderRoute.CONVICTION, datetime.date(2026, 2, 1)),
        (OrderKind.RESTRAINING, OrderRoute.CONVICTION, datetime.date(2026, 3, 1)),
        (OrderKind.RESTRAINING, OrderRoute.FAMILY_COURT, datetime.date(2025, 3, 1)),
        (OrderKind.DVPO, "", datetime.date(2026, 5, 1)),
        (OrderKind.DVPO, "", datetime.date(2026, 8, 1)),  # after the period
    ):
        ProtectiveOrder.objects.create(
            case=case, kind=kind, route=route, starts_on=starts_on, conditions="No contact", recorded_by=officer
        )
    assert _rows(orders_section(ReportScope(agency=north.agency, period=PERIOD))) == {
        "Domestic violence protection order (DVPO)": (1, 0),
        "Restraining order, at the family court": (0, 1),
        "Restraining order, on conviction": (2, 0),
    }

    def application(route, received_on, decision="", outcome="", outcome_on=None):
        DisclosureApplication.objects.create(
            case=case,
            route=route,
            person_at_risk=victim,
            applicant_name="Applicant",
            applicant_relationship="self",
            subject_relationship="partner",
            received_on=received_on,
            decided_on=received_on + datetime.timedelta(days=10) if decision else None,
            decision=decision,
            outcome=outcome,
            outcome_on=outcome_on,
            recorded_by=officer,
        )

    application(
        Route.RIGHT_TO_ASK,
        datetime.date(2026, 1, 5),
        Decision.DISCLOSE,
        DisclosureOutcome.MADE,
        datetime.date(2026, 1, 20),
    )
    application(
        Route.RIGHT_TO_ASK,
        datetime.date(2026, 2, 5),
        Decision.DISCLOSE,
        DisclosureOutcome.DECLINED,
        datetime.date(2026, 2, 20),
    )
    application(Route.RIGHT_TO_KNOW, datetime.date(2026, 3, 5), Decision.NOT_DISCLOSE)
    application(
        Route.RIGHT_TO_KNOW,
        datetime.date(2025, 3, 5),
        Decision.DISCLOSE,
        DisclosureOutcome.MADE,
        datetime.date(2025, 3, 20),
    )
    assert _rows(disclosures_section(ReportScope(agency=north.agency, period=PERIOD))) == {
        "Right to ask applications": (2, 0),
        "Right to know applications": (1, 1),
        "Disclosures authorised": (2, 1),
        "Disclosures made": (1, 1),
        "Authorised, but declined by the person at risk": (1, 0),
    }


def _score(perpetrator, area) -> None:
    PerpetratorScore.objects.create(
        agency=area.agency,
        area=area,
        perpetrator=perpetrator,
        frequency=1,
        gravity=1,
        victims_count=1,
        latest=at(2025, 1, 1),
        recency_points=1,
        total=Decimal("10"),
        computed_at=at(2026, 1, 1),
    )


def test_evaluation_compares_harm_before_and_after_with_a_matched_group(north) -> None:
    officer = UserFactory(area=north)
    # Allocated on 1 Mar 2026: ABH (15) and common assault (6) in the year before; common assault after.
    allocated = CaseFactory(area=north, spoc=officer, opened_at=at(2026, 3, 1)).perpetrator
    for moment, category in (
        (at(2025, 6, 1), OffenceCategory.ABH),
        (at(2025, 12, 1), OffenceCategory.COMMON_ASSAULT),
        (at(2026, 5, 1), OffenceCategory.COMMON_ASSAULT),
        (at(2024, 1, 1), OffenceCategory.GBH),  # more than a year before: not counted
    ):
        IncidentFactory(area=north, perpetrator=allocated, occurred_at=moment, offence_category=category)
    # Comparison (middle of the period: 31 Mar 2026): band 10-29 before, as the allocated one (21):
    # matched_a 15 before and 15 after, matched_b 16 and 0; other_band 60 before (band 30+).
    matched_a, matched_b, other_band, other_area = (PerpetratorFactory() for _ in range(4))
    for perpetrator, events in (
        (matched_a, [(at(2025, 10, 1), OffenceCategory.ABH), (at(2026, 6, 1), OffenceCategory.ABH)]),
        (
            matched_b,
            [(at(2025, 8, 1), OffenceCategory.HARASSMENT), (at(2025, 9, 1), OffenceCategory.HARASSMENT)],
        ),  # 16 / 0
        (other_band, [(at(2025, 9, 1), OffenceCategory.GBH), (at(2025, 9, 2), OffenceCategory.GBH)]),
    ):
        _score(perpetrator, north)
        for moment, category in events:
            IncidentFactory(area=north, perpetrator=perpetrator, occurred_at=moment, offence_category=category)
    _score(other_area, AreaFactory(agency=north.agency))  # an area with nobody allocated: not compared
    result = evaluation(ReportScope(agency=north.agency, period=PERIOD), today=TODAY)
    assert (result.allocated, result.allocated_before, result.allocated_after) == (1, 21, 6)
    assert result.compared == 2
    assert (result.compared_before, result.compared_after) == (Decimal("15.5"), Decimal("7.5"))


def test_evaluation_counts_before_and_after_by_the_local_day(north) -> None:
    """Allocated at 00:30 on 1 Jun 2026 (BST: 23:30 on 31 May in UTC): an incident at noon on 31 May
    was before the allocation, and one at 00:15 on 1 Jun 2025 is within the 12 months before it."""
    officer = UserFactory(area=north)
    opened = timezone.make_aware(datetime.datetime(2026, 6, 1, 0, 30))
    allocated = CaseFactory(area=north, spoc=officer, opened_at=opened).perpetrator
    for moment, category in (
        (at(2026, 5, 31), OffenceCategory.ABH),  # 15, before
        (timezone.make_aware(datetime.datetime(2025, 6, 1, 0, 15)), OffenceCategory.COMMON_ASSAULT),  # 6, before
        (timezone.make_aware(datetime.datetime(2025, 5, 31, 23, 45)), OffenceCategory.GBH),  # a year and more
    ):
        IncidentFactory(area=north, perpetrator=allocated, occurred_at=moment, offence_category=category)
    result = evaluation(ReportScope(agency=north.agency, period=PERIOD), today=TODAY)
    assert (result.allocated, result.allocated_before, result.allocated_after) == (1, 21, 0)


def test_the_report_defaults_to_the_last_12_months() -> None:
    start, end = PeriodForm.default_period()
    assert end == timezone.localdate() and (end - start).days in (364, 365)


def test_the_pack_prints_and_downloads_for_supervisors_only_and_is_logged(client, login, north) -> None:
    officer = UserFactory(area=north)
    CaseFactory(area=north, spoc=officer, opened_at=timezone.now() - datetime.timedelta(days=20))
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    login(supervisor)
    report = client.get("/reports/").content.decode()
    assert "/reports/pack/?" in report and "Repeat victimisation" in report
    page = client.get("/reports/pack/")
    body = page.content.decode()
    assert page.status_code == 200
    for title in ("Perpetrators and cases", "Repeats", "Protective orders by type and route", "Evaluation"):
        assert title in body
    assert "Perpetrators identified (cases opened)" in body and "format=xlsx" in body
    download = client.get("/reports/pack/?format=xlsx")
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(download.content), read_only=True)
    assert book.sheetnames[0] == "About" and "Perpetrators and cases" in book.sheetnames
    cases_sheet = [list(row) for row in book["Perpetrators and cases"].iter_rows(values_only=True)]
    assert ["Perpetrators identified (cases opened)", 1, 0, 1, None] in [row[:5] for row in cases_sheet]
    logged = AccessLog.objects.filter(user=supervisor, object_type="accountability pack")
    assert set(logged.values_list("action", flat=True)) == {AccessAction.LIST, AccessAction.EXPORT}
    for refused in (
        officer,
        UserFactory(area=AreaFactory(agency=ProbationAgencyFactory()), role=Role.PARTNER_CASEWORKER),
    ):
        login(refused)
        assert client.get("/reports/pack/").status_code == 403
        assert client.get("/reports/pack/?format=xlsx").status_code == 403
