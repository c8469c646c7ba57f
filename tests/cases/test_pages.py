import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import ChronologyVisibility, RiskLevel
from dacrre.accounts.models import Role, Scope
from tests.factories import (
    TEST_PASSWORD,
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
    html = login(officer).get("/caseload/").content.decode()
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
        (Role.AUDITOR, Scope.NONE, [], ["My caseload", ">Cases<", "Administration"]),
        (Role.ADMIN, Scope.NONE, ["Cases", "Administration"], ["My caseload"]),
    ],
)
def test_every_role_gets_its_pages_and_navigation(login, role, scope, nav_expected, nav_absent) -> None:
    user = UserFactory(role=role, scope=scope, is_staff=role == Role.ADMIN)
    case = CaseFactory(area=user.area, spoc=user)
    client = login(user)
    for url in ["/", "/caseload/", "/cases/"]:
        assert client.get(url, follow=True).status_code == 200, url
    # Auditors and administrators see no case, even one they were (wrongly) made to hold.
    sees_case = role not in {Role.AUDITOR, Role.ADMIN}
    assert client.get(f"/cases/{case.public_id}/").status_code == (200 if sees_case else 404)
    nav = client.get("/cases/").content.decode().split('id="navigation"')
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
    # Includes the navigation's counts (one query); the list pages ids, then rows; one INSERT logs the
    # list and the people listed.
    assert len(many) <= {"caseload": 11, "list": 12}[url_name]


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
    # Each case-page panel adds a fixed number of its own (closure: 1, documents: 1, staffing and
    # transfer: 1); one INSERT logs the case and the people shown; the navigation's counts are one query.
    assert len(many) <= 31  # equipment, stalking screening, new partners, justice outcomes, satisfaction: one each


@pytest.fixture
def work_of_every_role(db):
    """A police force with a case, a team, an access log; an IDVA service and probation sharing cases."""
    from dacrre.audit.models import AccessAction
    from dacrre.audit.services import access_log_record
    from referrals.models import Consent, Sharing, Urgency
    from referrals.services import referral_create, referral_send
    from tests.factories import IdvaAgencyFactory, grant_case_to

    officer = UserFactory(first_name="Olivia", last_name="Officer")
    police = officer.agency
    assigned = CaseFactory(area=officer.area, spoc=officer)
    shared = CaseFactory(area=officer.area, spoc=officer)
    probation = ProbationAgencyFactory()
    idva_service = IdvaAgencyFactory()
    grant_case_to(shared, probation)
    grant_case_to(shared, idva_service, shares_victim_contact=True)
    awaiting = referral_send(
        actor=officer,
        referral=referral_create(
            actor=officer,
            case=assigned,
            subject_person=assigned.perpetrator.person,
            to_agency=probation,
            reason="Licence conditions",
            urgency=Urgency.MEDIUM,
            sharing=Sharing.SUMMARY,
            consent=Consent.GIVEN,
            consent_method="verbal",
        ),
    )
    auditor = UserFactory(area=officer.area, role=Role.AUDITOR)
    access_log_record(user=officer, action=AccessAction.VIEW, object_type="case", case_reference=assigned.reference)
    users = {
        Role.OFFICER: officer,
        Role.SUPERVISOR: UserFactory(area=officer.area, role=Role.SUPERVISOR, scope=Scope.AREA),
        Role.IDVA: UserFactory(area=AreaFactory(agency=idva_service), role=Role.IDVA, scope=Scope.ASSIGNED),
        Role.PARTNER_CASEWORKER: UserFactory(
            area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.ASSIGNED
        ),
        Role.ANALYST: UserFactory(area=officer.area, role=Role.ANALYST, scope=Scope.AGENCY),
        Role.AUDITOR: auditor,
        Role.ADMIN: UserFactory(area=officer.area, role=Role.ADMIN, is_staff=True),
    }
    assert police is not None
    return users, assigned, shared, awaiting


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "lands_on", "shows"),
    [
        (Role.OFFICER, "/", ["My caseload", "Cases assigned to you (2)", "{assigned}", "{shared}"]),
        (Role.SUPERVISOR, "/team/", ["Team caseload", "Olivia Officer"]),
        (Role.IDVA, "/", ["My caseload", "Cases shared with", "Shared with your agency (1)", "{shared}"]),
        (Role.PARTNER_CASEWORKER, "/referrals/", ["Referrals", "{referral}", "The open cases shared with"]),
        (Role.ANALYST, "/incidents/import/", ["Import incidents"]),
        (Role.AUDITOR, "/audit/", ["Access log", "{assigned}"]),
        (Role.ADMIN, "/admin/", ["dacrre administration"]),
    ],
)
def test_every_role_signs_in_to_a_page_of_its_own_work(work_of_every_role, login, role, lands_on, shows) -> None:
    """Issue 15 item 16: every role landed on "My caseload", empty for supervisors, analysts, auditors
    and partners (who saw "(0)" while /cases/ listed the cases shared with them)."""
    users, assigned, shared, awaiting = work_of_every_role
    client = login(users[role])
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == lands_on
    html = response.content.decode()
    for text in shows:
        text = text.format(assigned=assigned.reference, shared=shared.reference, referral=awaiting.reference)
        assert text in html, text
    # Signing in goes to the start page (the sign-in form's default destination, LOGIN_REDIRECT_URL).
    client.logout()
    signed_in = client.post("/accounts/login/", {"username": users[role].username, "password": TEST_PASSWORD})
    assert signed_in["Location"] == "/"


@pytest.mark.django_db
def test_a_partner_caseworkers_caseload_shows_the_cases_shared_with_their_agency(work_of_every_role, login) -> None:
    users, assigned, shared, _ = work_of_every_role
    client = login(users[Role.PARTNER_CASEWORKER])
    html = client.get("/caseload/").content.decode()
    assert "Cases assigned to you (0)" in html
    assert "Shared with your agency (1)" in html and shared.reference in html
    assert assigned.reference not in html  # only referred, not accepted: not shared yet
    # Perpetrator-side: no victim visit dates in the tables.
    assert "Next victim visit" not in html
    assert "Next victim visit" not in client.get("/cases/").content.decode()


@pytest.mark.django_db
def test_the_shared_caseload_pages_in_constant_queries(login) -> None:
    from tests.factories import grant_case_to

    probation = ProbationAgencyFactory()
    worker = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER)
    client = login(worker)
    grant_case_to(CaseFactory(), probation)
    with CaptureQueriesContext(connection) as few:
        client.get("/caseload/")
    for _ in range(5):
        case = CaseFactory()
        CaseVictimFactory(case=case)
        grant_case_to(case, probation)
    with CaptureQueriesContext(connection) as many:
        html = client.get("/caseload/").content.decode()
    assert "Shared with your agency (6)" in html
    assert len(many) == len(few)
