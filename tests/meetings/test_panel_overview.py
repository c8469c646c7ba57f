"""The panel co-ordinator's view: the panel's perpetrators, what changed since the last panel, and
the actions due per agency, in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import ChronologyKind, ChronologyVisibility
from cases.services import chronology_record
from dacrre.accounts.models import Role, Scope
from meetings.models import MeetingKind
from meetings.services import meeting_action_assign, meeting_add_case, meeting_schedule
from tests.factories import (
    AreaFactory,
    CaseFactory,
    IncidentFactory,
    ProbationAgencyFactory,
    UserFactory,
)

TODAY = timezone.localdate()


@pytest.mark.django_db
def test_the_coordinator_sees_what_changed_since_the_last_panel_and_actions_per_agency(login) -> None:
    chair = UserFactory(role=Role.SUPERVISOR, scope=Scope.AREA)
    probation = ProbationAgencyFactory(name="Probation North")
    worker = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    returning, new = (CaseFactory(area=chair.area, spoc=chair) for _ in range(2))
    last = meeting_schedule(
        actor=chair,
        kind=MeetingKind.PERPETRATOR_PANEL,
        held_on=TODAY - datetime.timedelta(days=28),
        attending_agencies=[probation],
    )
    meeting_add_case(actor=chair, meeting=last, case=returning)
    panel = meeting_schedule(
        actor=chair, kind=MeetingKind.PERPETRATOR_PANEL, held_on=TODAY, attending_agencies=[probation]
    )
    item = meeting_add_case(actor=chair, meeting=panel, case=returning)
    meeting_add_case(actor=chair, meeting=panel, case=new)
    IncidentFactory(
        perpetrator=returning.perpetrator, area=chair.area, occurred_at=timezone.now() - datetime.timedelta(days=3)
    )
    IncidentFactory(
        perpetrator=returning.perpetrator, area=chair.area, occurred_at=timezone.now() - datetime.timedelta(days=60)
    )
    chronology_record(case=returning, kind=ChronologyKind.NOTE, summary="Seen in town", actor=chair)
    chronology_record(
        case=returning,
        kind=ChronologyKind.NOTE,
        summary="Victim rang",
        actor=chair,
        visibility=ChronologyVisibility.VICTIM_SIDE,
    )
    action = meeting_action_assign(actor=chair, item=item, agency=probation, description="Check licence", due_on=TODAY)
    type(action).objects.filter(pk=action.pk).update(due_on=TODAY - datetime.timedelta(days=1))  # now overdue
    url = reverse("meetings:overview", args=[panel.public_id])
    client = login(chair)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert f"the last panel, on {last.held_on:%-d %B %Y}" in page
    rows = page.split("<tbody", 1)[1]
    returning_row = rows.split(returning.reference, 1)[1].split("</tr>", 1)[0]
    assert "<strong>1</strong>" in returning_row  # one incident since the last panel, not the older one
    since = timezone.make_aware(datetime.datetime.combine(last.held_on, datetime.time.min))
    entries = returning.chronology.filter(occurred_at__gte=since)
    everyone = entries.filter(visibility=ChronologyVisibility.ALL).count()
    assert entries.count() == everyone + 1  # "Victim rang" is victim-side
    assert f">{everyone + 1}<" in returning_row and "New to the panel" not in returning_row
    assert "New to the panel" in rows.split(new.reference, 1)[1].split("</tr>", 1)[0]
    assert "Probation North" in page and 'govuk-tag--red">1<' in page
    # Probation is perpetrator-side: the victim-side entry is not counted for them.
    probation_page = login(worker).get(url).content.decode()
    probation_row = probation_page.split("<tbody", 1)[1].split(returning.reference, 1)[1].split("</tr>", 1)[0]
    assert f">{everyone}<" in probation_row
    for _ in range(4):
        meeting_add_case(actor=chair, meeting=panel, case=CaseFactory(area=chair.area, spoc=chair))
    client = login(chair)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(queries)
