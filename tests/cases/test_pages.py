import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import ChronologyVisibility, RiskLevel
from dacrre.accounts.models import Role, Scope
from tests.factories import (
    AreaFactory,
    CaseChildFactory,
    CaseFactory,
    CaseVictimFactory,
    ChronologyEntryFactory,
    ProbationAgencyFactory,
    UserFactory,
)


def _caseload_for(user, count: int) -> None:
    for _ in range(count):
        case = CaseFactory(area=user.area, spoc=user, risk_level=RiskLevel.HIGH)
        CaseVictimFactory(case=case, next_visit_due=timezone.localdate())
        CaseVictimFactory(case=case)
        CaseChildFactory(case=case)


@pytest.mark.django_db
def test_login_page_shows_the_error_summary_and_keeps_the_username(client) -> None:
    UserFactory(username="officer1")
    response = client.post("/accounts/login/", {"username": "officer1", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Enter a correct username and password" in html
    assert 'value="officer1"' in html


@pytest.mark.django_db
def test_pages_need_a_login(client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_caseload_lists_the_users_open_cases_with_risk_and_what_is_due(login) -> None:
    officer = UserFactory()
    mine = CaseFactory(
        area=officer.area,
        spoc=officer,
        risk_level=RiskLevel.HIGH,
        next_perpetrator_visit_due=timezone.localdate() - datetime.timedelta(days=2),
    )
    not_mine = CaseFactory(area=officer.area)
    html = login(officer).get("/").content.decode()
    assert mine.reference in html
    assert not_mine.reference not in html
    assert "High" in html
    assert "Overdue" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "scope", "nav_expected", "nav_absent"),
    [
        (Role.OFFICER, Scope.ASSIGNED, ["My caseload", "Cases"], ["Administration"]),
        (Role.SUPERVISOR, Scope.AREA, ["My caseload", "Cases"], ["Administration"]),
        (Role.IDVA, Scope.ASSIGNED, ["My caseload", "Cases"], ["Administration"]),
        (Role.PARTNER_CASEWORKER, Scope.AGENCY, ["My caseload", "Cases"], ["Administration"]),
        (Role.ANALYST, Scope.AGENCY, ["Cases"], ["My caseload", "Administration"]),
        (Role.AUDITOR, Scope.ASSIGNED, [], ["My caseload", ">Cases<", "Administration"]),
        (Role.ADMIN, Scope.ASSIGNED, ["Cases", "Administration"], ["My caseload"]),
    ],
)
def test_every_role_gets_its_pages_and_navigation(login, role, scope, nav_expected, nav_absent) -> None:
    user = UserFactory(role=role, scope=scope, is_staff=role == Role.ADMIN)
    case = CaseFactory(area=user.area, spoc=user)
    client = login(user)
    for url in ["/", "/cases/", f"/cases/{case.public_id}/"]:
        assert client.get(url).status_code == 200, url
    nav = client.get("/").content.decode().split('id="navigation"')
    nav_html = nav[1].split("</ul>")[0] if len(nav) > 1 else ""
    for text in nav_expected:
        assert text in nav_html
    for text in nav_absent:
        assert text not in nav_html


@pytest.mark.django_db
def test_case_page_shows_people_and_chronology(login) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    link = CaseVictimFactory(case=case)
    ChronologyEntryFactory(case=case, summary="Visited the perpetrator at home.")
    html = login(officer).get(f"/cases/{case.public_id}/").content.decode()
    assert case.perpetrator.person.full_name in html
    assert link.victim.person.full_name in html
    assert "Visited the perpetrator at home." in html
    # Confidential details are not on the case page at all.
    assert "Secret Lane" not in html


@pytest.mark.django_db
def test_victim_side_chronology_is_hidden_from_perpetrator_side_agencies(login) -> None:
    probation_area = AreaFactory(agency=ProbationAgencyFactory())
    offender_manager = UserFactory(area=probation_area, role=Role.PARTNER_CASEWORKER)
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer, offender_manager=offender_manager)
    ChronologyEntryFactory(
        case=case, summary="Victim moved; new address on file.", visibility=ChronologyVisibility.VICTIM_SIDE
    )
    ChronologyEntryFactory(case=case, summary="Perpetrator attended appointment.")

    officer_html = login(officer).get(f"/cases/{case.public_id}/").content.decode()
    assert "Victim moved" in officer_html

    om_html = login(offender_manager).get(f"/cases/{case.public_id}/").content.decode()
    assert "Perpetrator attended appointment." in om_html
    assert "Victim moved" not in om_html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["caseload", "list"])
def test_list_pages_use_a_constant_number_of_queries(login, url_name) -> None:
    officer = UserFactory()
    client = login(officer)
    url = "/" if url_name == "caseload" else "/cases/"
    _caseload_for(officer, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _caseload_for(officer, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("/cases/") >= 14
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 14  # includes the due-task count in the navigation; the list pages ids, then rows


@pytest.mark.django_db
def test_case_page_uses_a_constant_number_of_queries(login) -> None:
    officer = UserFactory()
    client = login(officer)
    case = CaseFactory(area=officer.area, spoc=officer)
    CaseVictimFactory(case=case)
    ChronologyEntryFactory(case=case)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.public_id}/")
    for _ in range(5):
        CaseVictimFactory(case=case)
        CaseChildFactory(case=case)
        ChronologyEntryFactory(case=case, actor=UserFactory())
    with CaptureQueriesContext(connection) as many:
        client.get(f"/cases/{case.public_id}/")
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 25  # each case-page panel adds a fixed number of its own (closure: 1)
