"""What the case page shows each user: every link and button on it (and its panels) leads somewhere the
user may go, decided by the same predicate as the target view, and nothing that says where or when a
victim can be found reaches a perpetrator-side user.

Issues: a partner's "Ask a supervisor to close this case" and probation's MARAC button led to a bare
403; perpetrator-side users saw each victim's next visit date on the case page."""

import datetime
import re

import pytest
from django.db import transaction
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from disclosures.models import DisclosureApplication, Route
from orders.models import OrderKind, ProtectiveOrder
from risk.models import Answer, RiskAssessment
from risk.questions import QUESTION_KEYS
from safety_plans.models import SafetyPlan
from tests.factories import (
    AreaFactory,
    CaseChildFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimSideAgencyFactory,
    grant_case_to,
)
from visits.models import Visit

VIEWERS = ["spoc", "area_officer", "supervisor", "analyst", "idva", "housing", "probation"]


@pytest.fixture
def busy_case(db):
    """A case with something in every panel: a high-risk DASH prompting MARAC, a planned visit, an order,
    a Clare's Law application, a safety plan, a child; shared with an IDVA service, a housing service
    and probation."""
    north = AreaFactory()
    spoc = UserFactory(area=north)
    case = CaseFactory(area=north, spoc=spoc)
    link = CaseVictimFactory(case=case, next_visit_due=timezone.localdate() + datetime.timedelta(days=9))
    CaseChildFactory(case=case)
    RiskAssessment.objects.create(
        case=case,
        victim=link.victim,
        assessed_by=spoc,
        answers=dict.fromkeys(QUESTION_KEYS, Answer.YES),
        yes_count=len(QUESTION_KEYS),
        score_level="high",
        final_level="high",
        visible_high_risk=True,
        potential_escalation=False,
        repeat_marac=False,
    )
    Visit.objects.create(case=case, planned_for=timezone.now() + datetime.timedelta(days=2), recorded_by=spoc)
    ProtectiveOrder.objects.create(
        case=case, kind=OrderKind.BAIL, starts_on=timezone.localdate(), conditions="No contact", recorded_by=spoc
    )
    DisclosureApplication.objects.create(
        case=case,
        route=Route.RIGHT_TO_ASK,
        person_at_risk=link.victim,
        applicant_name="Applicant",
        applicant_relationship="self",
        subject_relationship="partner",
        received_on=timezone.localdate(),
        recorded_by=spoc,
    )
    SafetyPlan.objects.create(case=case, victim=link.victim, version=1)
    idva, housing, probation = IdvaAgencyFactory(), VictimSideAgencyFactory(), ProbationAgencyFactory()
    for agency in (idva, housing, probation):
        grant_case_to(case, agency, shares_victim_contact=True)

    def member(agency, role):
        return UserFactory(area=AreaFactory(agency=agency), role=role, scope=Scope.AGENCY)

    users = {
        "spoc": spoc,
        "area_officer": UserFactory(area=north, role=Role.OFFICER, scope=Scope.AREA),
        "supervisor": UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA),
        "analyst": UserFactory(area=north, role=Role.ANALYST),
        "idva": member(idva, Role.IDVA),
        "housing": member(housing, Role.PARTNER_CASEWORKER),
        "probation": member(probation, Role.PARTNER_CASEWORKER),
    }
    return case, link, users


def _main(html: str) -> str:
    return html.split('id="main-content"', 1)[1]


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_link_and_button_on_the_case_page_leads_where_the_user_may_go(login, busy_case, viewer) -> None:
    case, _, users = busy_case
    client = login(users[viewer])
    page = client.get(f"/cases/{case.public_id}/")
    assert page.status_code == 200
    main = _main(page.content.decode())
    # Sign-in's own links and forms (the session-timeout dialog's) are not the case page's actions.
    links = {url for url in re.findall(r'href="(/[^"#?]*)', main) if not url.startswith("/accounts/")}
    buttons = {
        url for url in re.findall(r'<form method="post" action="(/[^"]*)"', main) if not url.startswith("/accounts/")
    }
    assert links, viewer
    for url in sorted(links):
        assert client.get(url).status_code == 200, f"{viewer} follows {url}"
    for url in sorted(buttons):
        savepoint = transaction.savepoint()
        response = client.post(url)
        transaction.savepoint_rollback(savepoint)
        assert response.status_code not in {403, 404}, f"{viewer} presses {url}: {response.status_code}"


@pytest.mark.django_db
def test_only_the_holders_and_supervisors_are_offered_to_ask_for_closure(login, busy_case) -> None:
    case, _, users = busy_case
    offered = {
        viewer
        for viewer in VIEWERS
        if "Ask a supervisor to close this case"
        in login(users[viewer]).get(f"/cases/{case.public_id}/").content.decode()
    }
    assert offered == {"spoc", "supervisor"}


@pytest.mark.django_db
def test_only_those_who_may_assess_are_offered_the_marac_button(login, busy_case) -> None:
    case, _, users = busy_case
    pages = {viewer: login(users[viewer]).get(f"/cases/{case.public_id}/").content.decode() for viewer in VIEWERS}
    offered = {viewer for viewer, html in pages.items() if "Record MARAC referral" in html}
    assert offered == {"spoc", "area_officer", "supervisor", "idva"}


@pytest.mark.django_db
def test_victims_next_visit_is_never_shown_to_a_perpetrator_side_user(login, busy_case) -> None:
    case, link, users = busy_case
    link.case.offender_manager = users["probation"]
    link.case.save()
    due = link.next_visit_due.strftime("%-d %b %Y")
    for viewer, shown in (("spoc", True), ("idva", True), ("probation", False)):
        client = login(users[viewer])
        case_page = _main(client.get(f"/cases/{case.public_id}/").content.decode())
        assert ("Next visit:" in case_page) is shown, viewer
        assert (due in case_page) is shown, viewer
        for url in (
            "/caseload/",
            "/cases/",
            f"/perpetrators/{case.perpetrator.public_id}/",
            f"/victims/{link.victim.public_id}/",
        ):
            listing = _main(client.get(url).content.decode())
            assert ("Next victim visit" in listing) is shown, (viewer, url)
            if not shown:
                assert due not in listing, (viewer, url)
