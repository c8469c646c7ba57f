import datetime

import pytest
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError
from disclosures.models import Decision, DisclosureApplication, DisclosureOutcome, Route
from disclosures.services import application_decide, application_record, application_record_disclosure
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    return officer, case, CaseVictimFactory(case=case).victim


def _apply(officer, case, victim, days_ago=3):
    return application_record(
        actor=officer,
        case=case,
        route=Route.RIGHT_TO_ASK,
        person_at_risk=victim,
        applicant_name="Beth",
        applicant_relationship="self",
        subject_relationship="partner of 3 months",
        received_on=timezone.localdate() - datetime.timedelta(days=days_ago),
    )


@pytest.mark.django_db
def test_decide_once_with_rationale_then_record_the_disclosure(officer_case) -> None:
    officer, case, victim = officer_case
    application = _apply(officer, case, victim)
    assert application.decision_due == application.received_on + datetime.timedelta(days=28)
    with pytest.raises(InvalidTransitionError, match="only follow a decision to disclose"):
        application_record_disclosure(
            actor=officer, application=application, outcome=DisclosureOutcome.MADE, outcome_on=timezone.localdate()
        )
    with pytest.raises(ApplicationError, match="rationale"):
        application_decide(
            actor=officer,
            application=application,
            decision=Decision.DISCLOSE,
            rationale=" ",
            decided_on=timezone.localdate(),
        )
    application_decide(
        actor=officer,
        application=application,
        decision=Decision.DISCLOSE,
        rationale="Previous convictions for violence against partners",
        decided_on=timezone.localdate(),
    )
    with pytest.raises(InvalidTransitionError, match="already been decided"):
        application_decide(
            actor=officer,
            application=application,
            decision=Decision.NOT_DISCLOSE,
            rationale="x",
            decided_on=timezone.localdate(),
        )
    application_record_disclosure(
        actor=officer, application=application, outcome=DisclosureOutcome.MADE, outcome_on=timezone.localdate()
    )
    application.refresh_from_db()
    assert application.outcome == DisclosureOutcome.MADE
    assert case.chronology.filter(kind="disclosure", visibility="victim_side").count() == 3


@pytest.mark.django_db
def test_not_disclosed_applications_take_no_disclosure(officer_case) -> None:
    officer, case, victim = officer_case
    application = _apply(officer, case, victim)
    application_decide(
        actor=officer,
        application=application,
        decision=Decision.NOT_DISCLOSE,
        rationale="Nothing relevant held",
        decided_on=timezone.localdate(),
    )
    with pytest.raises(InvalidTransitionError):
        application_record_disclosure(
            actor=officer, application=application, outcome=DisclosureOutcome.DECLINED, outcome_on=timezone.localdate()
        )


@pytest.mark.django_db
def test_pages_for_officers_and_refused_for_perpetrator_side(officer_case, login) -> None:
    officer, case, victim = officer_case
    client = login(officer)
    bad = client.post(
        f"/cases/{case.public_id}/disclosures/new/",
        {
            "route": Route.RIGHT_TO_KNOW,
            "person_at_risk": str(victim.public_id),
            "applicant_name": "Police-initiated",
            "received_on": "99/99/2026",
        },
    )
    assert "Enter the date received as day/month/year" in bad.content.decode()
    assert "Police-initiated" in bad.content.decode()
    ok = client.post(
        f"/cases/{case.public_id}/disclosures/new/",
        {
            "route": Route.RIGHT_TO_KNOW,
            "person_at_risk": str(victim.public_id),
            "applicant_name": "Police-initiated",
            "received_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert ok.status_code == 302
    application = DisclosureApplication.objects.get()
    decided = client.post(
        f"/cases/{case.public_id}/disclosures/{application.public_id}/",
        {
            "step": "decide",
            "decision": Decision.DISCLOSE,
            "rationale": "Risk of serious harm",
            "decided_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
    )
    assert decided.status_code == 302
    assert "Clare's Law applications" in client.get(f"/cases/{case.public_id}/").content.decode()
    probation = ProbationAgencyFactory()
    grant_case_to(case, probation)
    om = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    client = login(om)
    assert client.get(f"/cases/{case.public_id}/disclosures/{application.public_id}/").status_code == 403
    assert "Clare's Law applications" not in client.get(f"/cases/{case.public_id}/").content.decode()
