"""The closure approval page shows what the approver needs, with a warning on each thing still open:
the last DASH and its risk level, open MARAC or panel actions, orders and bail conditions in force
with their end dates, open tasks and outstanding referrals. A pending closure shows on the case page."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from meetings.models import MeetingKind
from meetings.services import meeting_action_assign, meeting_add_case, meeting_schedule
from orders.services import order_record
from oversight.selectors import closure_checks_for
from oversight.services import closure_request
from risk.questions import QUESTION_KEYS
from risk.services import risk_assessment_record
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def world():
    area = AreaFactory()
    officer = UserFactory(area=area)
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    case = CaseFactory(area=area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    return case, victim, officer, supervisor


def test_a_case_with_nothing_open_warns_only_that_no_dash_is_recorded(client, login, world) -> None:
    case, _victim, officer, supervisor = world
    closure_request(actor=officer, case=case, reason="No incidents for twelve months.")
    login(supervisor)
    page = _page(client.get(reverse("oversight:closures")))
    assert "No DASH risk assessment is recorded" in page
    assert page.count("govuk-warning-text__text") == 1


def test_each_open_thing_is_listed_with_a_warning(client, login, world) -> None:
    case, victim, officer, supervisor = world
    today = timezone.localdate()
    risk_assessment_record(actor=officer, case=case, victim=victim, answers=dict.fromkeys(QUESTION_KEYS, "yes"))
    order_record(
        actor=officer,
        case=case,
        kind="bail",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=20),
        conditions="Not to contact the victim.",
    )
    idva_agency = IdvaAgencyFactory(name="County IDVA Service")
    meeting = meeting_schedule(actor=officer, kind=MeetingKind.MARAC, held_on=today, attending_agencies=[idva_agency])
    item = meeting_add_case(actor=officer, meeting=meeting, case=case)
    meeting_action_assign(actor=officer, item=item, agency=idva_agency, description="Safety plan review", due_on=today)
    ReminderFactory(case=case, assignee=officer)
    closure_request(actor=officer, case=case, reason="Perpetrator has moved out of the area.")

    login(supervisor)
    page = _page(client.get(reverse("oversight:closures")))
    assert f"High risk, assessed on {today:%-d %b %Y}" in page and "The last assessment found high risk" in page
    assert "1 still open: closing the case closes them" in page and "County IDVA Service: Safety plan review" in page
    ends = today + datetime.timedelta(days=20)
    assert "Bail conditions: ends " + f"{ends:%-d %b %Y}" in page and "1 in force" in page
    assert "open: closing the case marks them done" in page


def test_the_checks_cost_a_fixed_number_of_queries(world, django_assert_max_num_queries) -> None:
    cases = [world[0], *(CaseFactory(area=world[0].area) for _ in range(4))]
    with django_assert_max_num_queries(5):
        checks = closure_checks_for(case.pk for case in cases)
    assert len(checks) == 5


def test_a_pending_closure_shows_as_a_banner_on_the_case_page(client, login, world) -> None:
    case, _victim, officer, _supervisor = world
    closure_request(actor=officer, case=case, reason="No incidents for twelve months.")
    login(officer)
    page = _page(client.get(reverse("cases:detail", args=[case.public_id])))
    assert "govuk-notification-banner" in page and "Closure requested" in page
    assert "No incidents for twelve months." in page
