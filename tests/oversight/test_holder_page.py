"""A person's cases page: its two forms have their own element ids, and moving a whole caseload
asks first, saying what will happen, then happens once however often it is confirmed."""

import html
import re
from collections import Counter

import pytest

from dacrre.accounts.models import Role, Scope
from dacrre.core.form_tokens import ALREADY_SAVED
from tests.factories import AreaFactory, CaseFactory, UserFactory

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.fixture
def team(db):
    north = AreaFactory(name="North")
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA)
    alice = UserFactory(area=north, first_name="Alice", last_name="Able")
    bob = UserFactory(area=north, first_name="Bob", last_name="Baker")
    return north, supervisor, alice, bob


def test_the_reallocation_and_leave_forms_share_no_element_id(team, login) -> None:
    north, supervisor, alice, _bob = team
    CaseFactory(area=north, spoc=alice)
    page = login(supervisor).get(f"/team/people/{alice.public_id}/").content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [name for name, count in ids.items() if count > 1] == []
    assert 'for="move-to_user"' in page and 'id="move-reason"' in page
    assert 'for="id_to_user"' in page and 'id="id_reason"' in page


def test_moving_a_caseload_asks_first_then_moves_once(team, login) -> None:
    north, supervisor, alice, bob = team
    as_spoc = [CaseFactory(area=north, spoc=alice) for _ in range(2)]
    as_om = CaseFactory(area=north, spoc=bob, offender_manager=alice)
    client = login(supervisor)
    url = f"/team/people/{alice.public_id}/"
    page = client.get(url).content.decode()
    data = {"form_token": TOKEN.findall(page)[-1], "action": "move", "to_user": bob.pk, "reason": "Leave 1-14 June"}

    asked = client.post(url, data)
    assert asked.status_code == 200
    text = html.unescape(asked.content.decode())
    assert "Move all 3 cases to Bob Baker?" in text
    assert "Bob Baker becomes the SPOC on 2 cases" in text and "becomes the offender manager on 1 case" in text
    assert all(case.reference in text for case in [*as_spoc, as_om]) and "Leave 1-14 June" in text
    assert 'class="govuk-back-link"' in text and f'href="{url}">Cancel</a>' in text
    for case in [*as_spoc, as_om]:
        case.refresh_from_db()
    assert {case.spoc for case in as_spoc} == {alice} and as_om.offender_manager == alice  # nothing yet

    confirm = {
        "form_token": TOKEN.search(asked.content.decode()).group(1),
        "action": "move",
        "to_user": str(bob.pk),
        "reason": "Leave 1-14 June",
        "confirmed": "yes",
    }
    assert re.search(r'<input type="hidden" name="confirmed" value="yes">', asked.content.decode())
    done = client.post(url, confirm, follow=True)
    assert "3 case roles reallocated." in done.content.decode()
    for case in [*as_spoc, as_om]:
        case.refresh_from_db()
    assert {case.spoc for case in as_spoc} == {bob} and as_om.offender_manager == bob

    again = client.post(url, confirm, follow=True)  # a double click, or the form sent again
    assert ALREADY_SAVED in html.unescape(again.content.decode())
    assert "reallocated." not in again.content.decode()


def test_a_mistake_on_the_leave_form_is_shown_on_the_form_not_the_confirmation(team, login) -> None:
    north, supervisor, alice, _bob = team
    CaseFactory(area=north, spoc=alice)
    client = login(supervisor)
    response = client.post(f"/team/people/{alice.public_id}/", {"action": "move", "to_user": "", "reason": ""})
    text = response.content.decode()
    assert "Choose who takes the caseload" in text and 'href="#move-to_user"' in text
    assert "Move all 1 case to" not in text
