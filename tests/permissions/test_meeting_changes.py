"""Who may change a meeting (docs/permissions.md, section 7): the chair agency's officers, supervisors
and IDVAs who see every case on its agenda, because attendance decides which agencies are granted
those cases.

Issue: an officer of another area changed a meeting's attendance, and so which agencies were granted
its cases."""

import pytest
from django.utils import timezone

from cases.access.models import CaseAccessGrant
from cases.models import RiskLevel
from cases.selectors import cases_visible_to
from dacrre.accounts.models import Role, Scope
from meetings.models import MeetingKind
from meetings.rules import can_manage_meeting
from meetings.services import meeting_add_case, meeting_schedule
from tests.factories import AreaFactory, CaseFactory, UserFactory, VictimSideAgencyFactory


@pytest.fixture
def marac(db):
    """A MARAC of the force with a North case on its agenda, attended by a housing service."""
    north = AreaFactory(name="North")
    chair = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA)
    housing = VictimSideAgencyFactory()
    meeting = meeting_schedule(
        actor=chair, kind=MeetingKind.MARAC, held_on=timezone.localdate(), attending_agencies=[housing]
    )
    case = CaseFactory(area=north, risk_level=RiskLevel.HIGH)
    meeting_add_case(actor=chair, meeting=meeting, case=case)
    return chair, meeting, case, housing


def _grants(case) -> set:
    return set(CaseAccessGrant.objects.filter(case=case, revoked_at__isnull=True).values_list("agency_id", flat=True))


def test_an_officer_of_another_area_cannot_change_attendance(login, marac) -> None:
    chair, meeting, case, housing = marac
    south_officer = UserFactory(area=AreaFactory(agency=chair.agency, name="South"), role=Role.OFFICER)
    social_care = VictimSideAgencyFactory()
    assert not can_manage_meeting(south_officer, meeting)
    client = login(south_officer)
    page = client.get(f"/meetings/{meeting.public_id}/")
    assert page.status_code == 200  # they see the meeting (their force chairs it), not the case on it
    assert "Save attendance" not in page.content.decode()
    response = client.post(
        f"/meetings/{meeting.public_id}/attendance/", {"attending_agencies": [housing.pk, social_care.pk]}
    )
    assert response.status_code == 403
    assert _grants(case) == {housing.pk}
    assert set(meeting.attending_agencies.all()) == {chair.agency, housing}


def test_a_chair_who_sees_every_case_on_the_agenda_changes_attendance(login, marac) -> None:
    chair, meeting, case, housing = marac
    social_care = VictimSideAgencyFactory()
    assert can_manage_meeting(chair, meeting)
    response = login(chair).post(
        f"/meetings/{meeting.public_id}/attendance/", {"attending_agencies": [housing.pk, social_care.pk]}
    )
    assert response.status_code == 302
    assert _grants(case) == {housing.pk, social_care.pk}


def test_a_colleague_of_the_same_area_who_does_not_see_the_case_cannot_either(marac) -> None:
    chair, meeting, case, _ = marac
    unassigned = UserFactory(area=chair.area, role=Role.OFFICER, scope=Scope.ASSIGNED)
    assert list(cases_visible_to(unassigned)) == []
    assert not can_manage_meeting(unassigned, meeting)
    case.spoc = unassigned
    case.save()
    assert can_manage_meeting(unassigned, meeting)  # once they hold the case, they see all of the agenda


def test_other_agencies_and_roles_never_change_the_meeting(marac) -> None:
    chair, meeting, _, housing = marac
    housing_worker = UserFactory(area=AreaFactory(agency=housing), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    analyst = UserFactory(area=chair.area, role=Role.ANALYST)
    assert not can_manage_meeting(housing_worker, meeting)
    assert not can_manage_meeting(analyst, meeting)  # sees the case, does no casework
