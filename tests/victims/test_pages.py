import pytest

from dacrre.accounts.models import Role
from tests.factories import AreaFactory, CaseFactory, CaseVictimFactory, ProbationAgencyFactory, UserFactory


@pytest.mark.django_db
def test_owning_agency_officer_sees_victim_contact_details(login) -> None:
    officer = UserFactory()
    link = CaseVictimFactory(case=CaseFactory(area=officer.area, spoc=officer))
    html = login(officer).get(f"/victims/{link.victim.public_id}/").content.decode()
    assert link.victim.person.full_name in html
    assert "Secret Lane" in html
    assert "07700 900123" in html


@pytest.mark.django_db
def test_perpetrator_side_agency_never_sees_victim_contact_details(login) -> None:
    offender_manager = UserFactory(area=AreaFactory(agency=ProbationAgencyFactory()), role=Role.PARTNER_CASEWORKER)
    link = CaseVictimFactory(case=CaseFactory(offender_manager=offender_manager))
    response = login(offender_manager).get(f"/victims/{link.victim.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert link.victim.person.full_name in html
    assert "Secret Lane" not in html
    assert "07700 900123" not in html
    assert "Safe number" not in html
    assert "Contact details are not available to you" in html


@pytest.mark.django_db
def test_victim_outside_the_users_cases_is_not_found(login) -> None:
    link = CaseVictimFactory()
    assert login(UserFactory()).get(f"/victims/{link.victim.public_id}/").status_code == 404
