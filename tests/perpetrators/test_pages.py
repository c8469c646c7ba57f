import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dacrre.accounts.models import Role
from dacrre.audit.models import AccessAction, AccessLog
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IncidentFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimFactory,
)


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


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["probation", "police"])
def test_incident_victims_are_named_only_where_the_user_may_see_them(login, viewer) -> None:
    """A perpetrator's imported incidents concern victims in cases the user cannot see: they are
    counted, never named. Victims of the cases the user sees are named. The same for every user."""
    probation = ProbationAgencyFactory()
    offender_manager = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER)
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer, offender_manager=offender_manager)
    in_case = CaseVictimFactory(case=case).victim
    elsewhere = VictimFactory()  # an earlier partner, in no case this user sees
    other_force_case = CaseFactory(perpetrator=case.perpetrator)  # another force's case about the same man
    CaseVictimFactory(case=other_force_case, victim=elsewhere)
    shared_incident = IncidentFactory(perpetrator=case.perpetrator, area=officer.area)
    shared_incident.victims.set([in_case, elsewhere])
    old_incident = IncidentFactory(perpetrator=case.perpetrator, area=officer.area)
    old_incident.victims.set([elsewhere])
    user = offender_manager if viewer == "probation" else officer

    client = login(user)
    html = client.get(f"/perpetrators/{case.perpetrator.public_id}/").content.decode()
    assert old_incident.source_reference in html and shared_incident.source_reference in html
    assert in_case.person.full_name in html
    assert elsewhere.person.full_name not in html
    assert "1 not in a case you can see (not named)" in html
    # Consistent with the victim's own page: the one not named is not found either.
    assert client.get(f"/victims/{elsewhere.public_id}/").status_code == 404
    assert client.get(f"/victims/{in_case.public_id}/").status_code == 200


@pytest.mark.django_db
def test_the_perpetrator_page_logs_every_victim_it_names(login) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    IncidentFactory(perpetrator=case.perpetrator, area=officer.area).victims.set([victim])
    login(officer).get(f"/perpetrators/{case.perpetrator.public_id}/")
    shown = AccessLog.objects.get(object_type="person shown", person_id=str(victim.person.public_id))
    assert shown.user == officer and shown.action == AccessAction.VIEW
    assert f"Perpetrator {case.perpetrator.person.full_name}" in shown.object_label


@pytest.mark.django_db
def test_the_perpetrator_page_uses_a_constant_number_of_queries(login) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    client = login(officer)
    url = f"/perpetrators/{case.perpetrator.public_id}/"
    IncidentFactory(perpetrator=case.perpetrator, area=officer.area).victims.set([CaseVictimFactory(case=case).victim])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        incident = IncidentFactory(perpetrator=case.perpetrator, area=officer.area)
        incident.victims.set([CaseVictimFactory(case=case).victim, VictimFactory()])
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
