"""Two supervisors staffing one case at the same moment, on a real PostgreSQL: the case row is
locked, one allocation is made, the other supervisor is told who made it; one case opened however
often the same form is sent at once."""

import html

import pytest

from cases.models import Case, ChronologyEntry, ChronologyKind
from dacrre.accounts.models import Role, Scope
from reminders.models import Reminder, ReminderKind
from tests.concurrency.conftest import all_at_once, form_token
from tests.factories import AreaFactory, CaseFactory, OperationFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_two_supervisors_allocating_the_spoc_at_once_one_wins_the_other_is_told(signed_in) -> None:
    area = AreaFactory()
    case = CaseFactory(area=area)
    supervisors = [
        UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA, first_name="Sup", last_name=f"S{i}")
        for i in range(2)
    ]
    takers = [UserFactory(area=area, first_name="Taker", last_name=f"T{i}") for i in range(2)]
    url = f"/team/cases/{case.public_id}/staff/"
    posts = []
    for supervisor, taker in zip(supervisors, takers, strict=True):
        client = signed_in(supervisor)
        page = client.get(url)
        data = {
            "form_token": form_token(page),
            "field": "spoc",
            "seen": "",
            "to_user": taker.pk,
            "reason": "New case from the MARAC",
        }
        posts.append(lambda client=client, data=data: client.post(url, data, follow=True))

    responses = all_at_once(posts)

    case.refresh_from_db()
    assert case.spoc is not None
    winner = takers.index(case.spoc)
    loser = 1 - winner
    assert "SPOC allocated: Taker T" in _page(responses[winner])
    told = f"reallocated to Taker T{winner} as SPOC by Sup S{winner}"
    assert told in _page(responses[loser]) and "SPOC allocated" not in _page(responses[loser])
    assert ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.ALLOCATION).count() == 1
    assert list(Reminder.objects.filter(kind=ReminderKind.CASE_ALLOCATED).values_list("assignee", flat=True)) == [
        takers[winner].pk
    ]


def test_the_open_case_form_sent_twice_at_once_opens_one_case(signed_in) -> None:
    area = AreaFactory()
    officer = UserFactory(area=area)
    operation = OperationFactory(lead_agency=area.agency)
    client = signed_in(officer)
    page = client.get("/intake/open/")
    data = {
        "form_token": form_token(page),
        "given_name": "Darren",
        "family_name": "Blake",
        "date_of_birth": "14/02/1985",
        "operation": operation.pk,
        "area": area.pk,
        "reason": "incident",
    }
    second = signed_in(officer)  # the same user, from a second tab sent at the same moment
    responses = all_at_once([lambda: client.post("/intake/open/", data), lambda: second.post("/intake/open/", data)])
    assert all(response.status_code == 302 for response in responses), responses
    assert Case.objects.count() == 1
