import pytest

from tests.factories import CaseFactory, IncidentFactory, UserFactory


@pytest.mark.django_db
def test_perpetrator_page_shows_cases_and_incidents_to_the_assigned_officer(login) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    incident = IncidentFactory(perpetrator=case.perpetrator, area=officer.area)
    html = login(officer).get(f"/perpetrators/{case.perpetrator.public_id}/").content.decode()
    assert case.reference in html
    assert incident.source_reference in html


@pytest.mark.django_db
def test_perpetrator_outside_the_users_cases_is_not_found(login) -> None:
    case = CaseFactory()
    assert login(UserFactory()).get(f"/perpetrators/{case.perpetrator.public_id}/").status_code == 404
