"""Concluding a meeting ends the sharing it gave and cannot be undone: a confirmation page says what
will happen, or what must be done first, and only its button concludes, once."""

import html
import re

import pytest
from django.utils import timezone

from dacrre.core.form_tokens import ALREADY_SAVED
from meetings.models import ActionStatus, MeetingStatus
from meetings.services import meeting_action_assign, meeting_action_complete, meeting_add_case
from tests.factories import UserFactory
from tests.meetings.test_meetings import _member, marac  # noqa: F401 - the fixture

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.mark.django_db
def test_the_meeting_page_leads_to_a_confirmation_that_says_what_concluding_does(marac, login) -> None:  # noqa: F811
    chair, meeting, case, housing, probation = marac
    meeting_add_case(actor=chair, meeting=meeting, case=case)
    client = login(chair)
    detail = client.get(f"/meetings/{meeting.public_id}/").content.decode()
    assert f'href="/meetings/{meeting.public_id}/conclude/"' in detail
    assert "govuk-button--warning" not in detail  # the warning style is for the destructive button itself

    page = client.get(f"/meetings/{meeting.public_id}/conclude/")
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    assert "Conclude this meeting?" in text and case.reference in text
    assert housing.name in text and probation.name in text and "cannot be opened again" in text
    assert 'class="govuk-back-link"' in text
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED  # looking is not concluding

    token = TOKEN.search(page.content.decode()).group(1)
    done = client.post(f"/meetings/{meeting.public_id}/conclude/", {"form_token": token}, follow=True)
    assert "Meeting concluded" in done.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONCLUDED
    again = client.post(f"/meetings/{meeting.public_id}/conclude/", {"form_token": token}, follow=True)
    assert ALREADY_SAVED in html.unescape(again.content.decode())


@pytest.mark.django_db
def test_with_open_actions_the_page_lists_them_and_offers_no_button(marac, login) -> None:  # noqa: F811
    chair, meeting, case, housing, _probation = marac
    item = meeting_add_case(actor=chair, meeting=meeting, case=case)
    action = meeting_action_assign(
        actor=chair, item=item, agency=housing, description="Rehousing", due_on=timezone.localdate()
    )
    client = login(chair)
    text = html.unescape(client.get(f"/meetings/{meeting.public_id}/conclude/").content.decode())
    assert "Complete the open actions before concluding" in text
    assert f"{case.reference}</span>: {housing.name}" in text
    assert "Conclude meeting and end sharing" not in text
    refused = client.post(f"/meetings/{meeting.public_id}/conclude/")
    assert refused.status_code == 200 and "still open" in refused.content.decode()

    meeting_action_complete(actor=_member(housing), action=action, outcome="Rehoused")
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    assert "Conclude meeting and end sharing" in client.get(f"/meetings/{meeting.public_id}/conclude/").content.decode()


@pytest.mark.django_db
def test_only_the_chair_agency_may_open_the_confirmation(marac, login) -> None:  # noqa: F811
    _chair, meeting, _case, housing, _probation = marac
    assert login(_member(housing)).get(f"/meetings/{meeting.public_id}/conclude/").status_code in (403, 404)
    assert login(UserFactory()).get(f"/meetings/{meeting.public_id}/conclude/").status_code == 404
