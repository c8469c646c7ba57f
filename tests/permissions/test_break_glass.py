import datetime

import pytest
from django.utils import timezone

from cases.access.models import BreakGlassAccess
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from tests.factories import AreaFactory, CaseFactory, UserFactory

REASON = "Victim called 999 about this perpetrator; the SPOC is off duty tonight."


@pytest.fixture
def case_in_other_area(db):
    return CaseFactory()


def _supervisor(agency, **kwargs):
    return UserFactory(area=AreaFactory(agency=agency), role=Role.SUPERVISOR, scope=Scope.AREA, **kwargs)


@pytest.mark.django_db
def test_supervisor_opens_a_case_outside_their_scope_with_a_reason(login, case_in_other_area) -> None:
    supervisor = _supervisor(case_in_other_area.owning_agency)
    client = login(supervisor)
    url = f"/cases/{case_in_other_area.public_id}/"
    assert client.get(url).status_code == 404

    response = client.post("/cases/break-glass/", {"case_reference": case_in_other_area.reference, "reason": REASON})
    assert response.status_code == 302
    assert response["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    assert "You opened this case with break-glass access" in page.content.decode()

    opened = AccessLog.objects.get(action=AccessAction.BREAK_GLASS)
    assert (opened.user, opened.reason, opened.flagged_for_review) == (supervisor, REASON, True)
    viewed = AccessLog.objects.filter(action=AccessAction.VIEW, case_reference=case_in_other_area.reference).get()
    assert viewed.flagged_for_review is True
    assert viewed.reason == REASON


@pytest.mark.django_db
def test_break_glass_access_ends_when_it_expires(login, case_in_other_area) -> None:
    supervisor = _supervisor(case_in_other_area.owning_agency)
    client = login(supervisor)
    client.post("/cases/break-glass/", {"case_reference": case_in_other_area.reference, "reason": REASON})
    BreakGlassAccess.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(f"/cases/{case_in_other_area.public_id}/").status_code == 404


@pytest.mark.django_db
def test_a_short_reason_is_refused_and_what_was_typed_is_kept(login, case_in_other_area) -> None:
    client = login(_supervisor(case_in_other_area.owning_agency))
    response = client.post("/cases/break-glass/", {"case_reference": case_in_other_area.reference, "reason": "urgent"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "at least 20 characters" in html
    assert case_in_other_area.reference in html
    assert ">urgent</textarea>" in html
    assert not BreakGlassAccess.objects.exists()


@pytest.mark.django_db
def test_another_agencys_case_cannot_be_opened_and_is_not_confirmed_to_exist(login, case_in_other_area) -> None:
    other_force_supervisor = _supervisor(AreaFactory().agency)
    response = login(other_force_supervisor).post(
        "/cases/break-glass/", {"case_reference": case_in_other_area.reference, "reason": REASON}
    )
    assert "There is no case with that reference in your agency" in response.content.decode()
    response = login(other_force_supervisor).post(
        "/cases/break-glass/", {"case_reference": "DA-99-99999", "reason": REASON}
    )
    assert "There is no case with that reference in your agency" in response.content.decode()
    assert not BreakGlassAccess.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.OFFICER, Role.IDVA, Role.PARTNER_CASEWORKER, Role.ANALYST, Role.ADMIN])
def test_only_supervisors_can_break_glass(login, case_in_other_area, role) -> None:
    user = UserFactory(
        area=AreaFactory(agency=case_in_other_area.owning_agency), role=role, is_superuser=role == Role.ADMIN
    )
    client = login(user)
    assert client.get("/cases/break-glass/").status_code == 403
    response = client.post("/cases/break-glass/", {"case_reference": case_in_other_area.reference, "reason": REASON})
    assert response.status_code == 403
    assert not BreakGlassAccess.objects.exists()
    # An analyst sees the force's cases by their scope (read only); nobody else sees this one.
    assert client.get(f"/cases/{case_in_other_area.public_id}/").status_code == (200 if role == Role.ANALYST else 404)
