"""My tasks, the caseload and the team caseload count the same overdue work (issue 15, item 2).

One team's cases are held by every mix of people (a probation offender manager, a police one, an
IDVA, nobody), the sweep raises what is due, and each page's figures are read from the page as its
user sees it and checked against the others."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import RiskLevel
from dacrre.accounts.models import Role, Scope
from reminders.models import ReminderKind, ReminderStatus
from reminders.sweeps import reminders_sweep
from safety_plans.models import SafetyPlan
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    ReminderFactory,
    UserFactory,
)

TODAY = timezone.localdate()
VISITS = {ReminderKind.PERPETRATOR_VISIT_DUE.label, ReminderKind.VICTIM_VISIT_DUE.label}
REVIEWS = {ReminderKind.RISK_REVIEW_DUE.label, ReminderKind.SAFETY_PLAN_REVIEW_DUE.label}


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


class _Tables(HTMLParser):
    """The text of each cell of each body row of the page's tables."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in {"td", "th"} and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag in {"td", "th"} and self._row is not None and self._cell is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    parser = _Tables()
    parser.feed(html)
    return parser.rows


def my_overdue_tasks(client) -> dict[str, int]:
    """From My tasks: overdue visits and reviews, and every overdue task."""
    counts = {"visits": 0, "reviews": 0, "all": 0}
    for due, task, *_rest in (row for row in table_rows(client.get("/tasks/").content.decode()) if len(row) > 1):
        if "Overdue" in due or "Escalated" in due:
            counts["all"] += 1
            label = task.replace(" High risk", "")
            counts["visits"] += label in VISITS
            counts["reviews"] += label in REVIEWS
    return counts


def caseload_overdue_tasks(client) -> int:
    """From My caseload: the 'Your tasks' column's overdue figures, added up."""
    return sum(
        int(match.group(1))
        for row in table_rows(client.get(reverse("cases:caseload")).content.decode())
        if (match := re.search(r"(\d+) overdue", row[-1]))
    )


def team_caseload(client) -> dict[str, tuple[int, int]]:
    """From the team caseload: each row's overdue visits and overdue reviews, by name."""
    return {
        row[0]: (int(row[4]), int(row[5]))
        for row in table_rows(client.get(reverse("oversight:team")).content.decode())
        if len(row) == 7
    }


@pytest.fixture
def team(db):
    north = AreaFactory(name="North")
    people = {
        "sergeant": UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Sam"),
        "alice": UserFactory(area=north, first_name="Alice", last_name="Able"),
        "bob": UserFactory(area=north, first_name="Bob", last_name="Baker"),
        "pat": UserFactory(
            area=AreaFactory(agency=ProbationAgencyFactory()), role=Role.PARTNER_CASEWORKER, first_name="Pat"
        ),
        "ivy": UserFactory(area=AreaFactory(agency=IdvaAgencyFactory()), role=Role.IDVA, first_name="Ivy"),
    }
    alice, bob, pat, ivy = people["alice"], people["bob"], people["pat"], people["ivy"]
    # Alice is the SPOC, probation the offender manager, Ivy the IDVA: everything late.
    first = CaseFactory(
        area=north,
        spoc=alice,
        offender_manager=pat,
        idva=ivy,
        risk_level=RiskLevel.HIGH,
        next_perpetrator_visit_due=days(-5),
        risk_review_due=days(-3),
    )
    victim = CaseVictimFactory(case=first, next_visit_due=days(-2)).victim
    CaseVictimFactory(case=first, next_visit_due=days(-1))
    SafetyPlan.objects.create(case=first, victim=victim, review_due=days(-2))
    # Bob is the SPOC, Alice the (police) offender manager.
    second = CaseFactory(area=north, spoc=bob, offender_manager=alice, next_perpetrator_visit_due=days(-1))
    CaseVictimFactory(case=second, next_visit_due=days(-4))
    # Nobody on the case can visit: the sergeant's.
    CaseFactory(area=north, offender_manager=pat, next_perpetrator_visit_due=days(-10))
    # Not yet overdue.
    CaseFactory(area=north, spoc=alice, risk_review_due=days(2))
    # Late, but the task was dismissed with a reason: the date is overdue, the task is not open.
    dismissed = CaseFactory(area=north, spoc=bob, next_perpetrator_visit_due=days(-6))
    ReminderFactory(
        case=dismissed,
        due_on=days(-6),
        status=ReminderStatus.DISMISSED,
        dismissed_reason="In custody until next month",
        closed_at=timezone.now(),
    )
    reminders_sweep()
    return people


def test_my_tasks_the_caseload_and_the_team_caseload_agree(team, login) -> None:
    expected = {
        # person: (overdue visits, overdue reviews) on My tasks
        "alice": (4, 0),  # the first case's perpetrator and two victims, the second's perpetrator
        "bob": (1, 0),  # the second case's victim
        "pat": (0, 0),  # probation holds two late perpetrator visits it cannot make
        "ivy": (0, 2),  # the risk review and the safety-plan review
    }
    team_page = team_caseload(login(team["sergeant"]))
    for name, (visits, reviews) in expected.items():
        person = team[name]
        client = login(person)
        mine = my_overdue_tasks(client)
        assert (mine["visits"], mine["reviews"]) == (visits, reviews), name
        assert caseload_overdue_tasks(client) == mine["all"], name
        full_name = person.get_full_name()
        if person.agency_id == team["sergeant"].agency_id:
            assert team_page[full_name] == (visits, reviews), name
        else:
            assert full_name not in team_page  # another agency's people are another supervisor's
    # What nobody on a case can do is counted too, so the team's totals are the team list's.
    assert team_page["Not assigned nobody on the case can do it"] == (1, 0)
    team_list = table_rows(login(team["sergeant"]).get("/tasks/?view=team").content.decode())
    late = [row for row in team_list if "Overdue" in row[0] or "Escalated" in row[0]]
    visits_on_list = sum(1 for row in late if row[1].replace(" High risk", "") in VISITS)
    assert visits_on_list == sum(v for v, _r in team_page.values())


def test_probations_caseload_shows_the_late_visit_but_no_task_of_its_own(team, login) -> None:
    page = login(team["pat"]).get(reverse("cases:caseload")).content.decode()
    rows = [row for row in table_rows(page) if len(row) > 1]  # the shared-cases table below is empty
    assert len(rows) == 2 and all("Overdue" in row[5] for row in rows)  # the cases' dates, as they are
    assert all(row[-1] == "None" for row in rows)  # but no task of probation's
