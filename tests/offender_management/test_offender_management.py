import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.access.models import CaseAccessGrant, CaseGroupObjectPermission
from dacrre.accounts.models import AgencyKind, AgencySide, Role, Scope
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from offender_management.models import Intervention, InterventionType, Programme, ProgrammeAllocation
from offender_management.services import intervention_record, programme_allocate, programme_end
from tests.factories import AreaFactory, CaseFactory, ProbationAgencyFactory, UserFactory, grant_case_to


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    return officer, CaseFactory(area=officer.area, spoc=officer)


def _probation_worker(case):
    probation = ProbationAgencyFactory()
    grant_case_to(case, probation)
    return UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)


@pytest.mark.django_db
def test_allocation_rules_and_chronology(officer_case) -> None:
    officer, case = officer_case
    today = timezone.localdate()
    allocation = programme_allocate(
        actor=officer,
        perpetrator=case.perpetrator,
        programme=Programme.DRIVE,
        starts_on=today,
        ends_on=None,
        lead_agency=officer.agency,
    )
    assert case.chronology.filter(kind="allocation", summary__contains="Drive").exists()
    with pytest.raises(ApplicationError, match="already on Drive"):
        programme_allocate(
            actor=officer,
            perpetrator=case.perpetrator,
            programme=Programme.DRIVE,
            starts_on=today,
            ends_on=None,
            lead_agency=officer.agency,
        )
    with pytest.raises(ApplicationError, match="end date must be the same as or after"):
        programme_allocate(
            actor=officer,
            perpetrator=case.perpetrator,
            programme=Programme.MATAC,
            starts_on=today,
            ends_on=today - datetime.timedelta(days=1),
            lead_agency=officer.agency,
        )
    with pytest.raises(ApplicationError, match="why the allocation ends"):
        programme_end(actor=officer, allocation=allocation, ends_on=today, reason=" ")
    programme_end(actor=officer, allocation=allocation, ends_on=today - datetime.timedelta(days=0), reason="Completed")
    allocation.refresh_from_db()
    assert allocation.ended_reason == "Completed"


@pytest.mark.django_db
def test_who_may_allocate(officer_case) -> None:
    officer, case = officer_case
    probation_worker = _probation_worker(case)
    idva = UserFactory(role=Role.IDVA)
    case.idva = idva
    case.save()
    today = timezone.localdate()
    assert programme_allocate(
        actor=probation_worker,
        perpetrator=case.perpetrator,
        programme=Programme.IOM,
        starts_on=today,
        ends_on=None,
        lead_agency=probation_worker.agency,
    ).pk
    with pytest.raises(PermissionDeniedError):
        programme_allocate(
            actor=idva,
            perpetrator=case.perpetrator,
            programme=Programme.MATAC,
            starts_on=today,
            ends_on=None,
            lead_agency=officer.agency,
        )


@pytest.mark.django_db
def test_interventions_by_any_agency_with_type_date_and_outcome(officer_case) -> None:
    officer, case = officer_case
    probation_worker = _probation_worker(case)
    intervention = intervention_record(
        actor=probation_worker,
        perpetrator=case.perpetrator,
        case=None,
        kind=InterventionType.DISRUPTION,
        occurred_on=timezone.localdate(),
        description="Licence recall considered",
        outcome="Warning issued",
    )
    assert intervention.agency == probation_worker.agency
    assert case.chronology.filter(summary__contains="Disruption intervention").exists()
    with pytest.raises(ApplicationError, match="cannot be in the future"):
        intervention_record(
            actor=officer,
            perpetrator=case.perpetrator,
            case=case,
            kind=InterventionType.SUPPORT,
            occurred_on=timezone.localdate() + datetime.timedelta(days=1),
            description="x",
        )
    other_case = CaseFactory()
    with pytest.raises(ApplicationError, match="one of this perpetrator's cases"):
        intervention_record(
            actor=officer,
            perpetrator=case.perpetrator,
            case=other_case,
            kind=InterventionType.SUPPORT,
            occurred_on=timezone.localdate(),
            description="x",
        )


@pytest.mark.django_db
def test_pages_as_officer_and_probation_and_refused_for_others(officer_case, login) -> None:
    officer, case = officer_case
    perpetrator = case.perpetrator
    client = login(officer)
    response = client.post(
        f"/perpetrators/{perpetrator.public_id}/programmes/new/",
        {
            "programme": Programme.MATAC,
            "starts_on": "1/11/2026",
            "lead_agency": officer.agency_id,
            "notes": "Top 10",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        f"/perpetrators/{perpetrator.public_id}/interventions/new/",
        {
            "kind": InterventionType.ENFORCEMENT,
            "occurred_on": "31/31/2026",
            "description": "Arrest for breach",
        },
    )
    assert "Enter the date as day/month/year" in bad.content.decode()
    assert "Arrest for breach" in bad.content.decode()
    probation_worker = _probation_worker(case)
    ok = login(probation_worker).post(
        f"/perpetrators/{perpetrator.public_id}/interventions/new/",
        {
            "kind": InterventionType.SUPPORT,
            "occurred_on": timezone.localdate().strftime("%d/%m/%Y"),
            "description": "Housing advice",
            "outcome": "Referred",
        },
    )
    assert ok.status_code == 302
    page = login(officer).get(f"/perpetrators/{perpetrator.public_id}/").content.decode()
    assert "MATAC" in page and "Housing advice" in page
    assert login(UserFactory()).get(f"/perpetrators/{perpetrator.public_id}/programmes/new/").status_code == 404
    assert Intervention.objects.count() == 1 and ProgrammeAllocation.objects.count() == 1


@pytest.mark.django_db
def test_perpetrator_page_queries_are_constant(officer_case, login) -> None:
    officer, case = officer_case
    client = login(officer)
    url = f"/perpetrators/{case.perpetrator.public_id}/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(6):
        intervention_record(
            actor=officer,
            perpetrator=case.perpetrator,
            case=case,
            kind=InterventionType.SUPPORT,
            occurred_on=timezone.localdate(),
            description=f"Contact {n}",
        )
    programme_allocate(
        actor=officer,
        perpetrator=case.perpetrator,
        programme=Programme.DRIVE,
        starts_on=timezone.localdate(),
        ends_on=None,
        lead_agency=officer.agency,
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_the_programmes_lead_provider_sees_the_perpetrator_while_allocated_and_never_the_victims_address(
    officer_case, login
) -> None:
    from tests.factories import AgencyFactory, CaseVictimFactory

    officer, case = officer_case
    CaseVictimFactory(case=case)
    provider = AgencyFactory(
        name="Drive partnership", kind=AgencyKind.PERPETRATOR_PROGRAMME, side=AgencySide.PERPETRATOR
    )
    worker = UserFactory(area=AreaFactory(agency=provider), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    perpetrator_page = f"/perpetrators/{perpetrator_id(case)}/"
    client = login(worker)
    assert client.get(perpetrator_page).status_code == 404  # before the allocation

    today = timezone.localdate()
    allocation = programme_allocate(
        actor=officer,
        perpetrator=case.perpetrator,
        programme=Programme.DRIVE,
        starts_on=today,
        ends_on=None,
        lead_agency=provider,
    )
    assert client.get(perpetrator_page).status_code == 200
    case_page = client.get(f"/cases/{case.public_id}/")
    assert case_page.status_code == 200
    assert "Secret Lane" not in case_page.content.decode()

    programme_end(actor=officer, allocation=allocation, ends_on=today - datetime.timedelta(days=0), reason="Completed")
    assert client.get(perpetrator_page).status_code == 200  # until the end of its last day
    grant = CaseAccessGrant.objects.get(source_id=allocation.public_id)
    assert grant.expires_at is not None and grant.expires_at.date() == today + datetime.timedelta(days=1)
    past = timezone.now() - datetime.timedelta(seconds=1)  # as if the day had ended
    CaseAccessGrant.objects.filter(pk=grant.pk).update(expires_at=past)
    CaseGroupObjectPermission.objects.filter(group=provider.group).update(expires_at=past)
    assert client.get(perpetrator_page).status_code == 404  # the next request after it ends


def perpetrator_id(case):
    return case.perpetrator.public_id


@pytest.mark.django_db
def test_the_lead_provider_runs_the_programme_and_its_measures_show_what_changed(officer_case, login) -> None:
    from django.urls import reverse

    from offender_management.models import BehaviourCategory, ProgrammeStage
    from tests.factories import AgencyFactory

    officer, case = officer_case
    provider = AgencyFactory(
        name="Drive partnership", kind=AgencyKind.PERPETRATOR_PROGRAMME, side=AgencySide.PERPETRATOR
    )
    worker = UserFactory(area=AreaFactory(agency=provider), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    today = timezone.localdate()
    allocation = programme_allocate(
        actor=officer,
        perpetrator=case.perpetrator,
        programme=Programme.DRIVE,
        starts_on=today - datetime.timedelta(days=60),
        ends_on=None,
        lead_agency=provider,
    )
    url = reverse("offender_management:programme", args=[case.perpetrator.public_id, allocation.public_id])
    client = login(worker)

    def post(step, **data):
        return client.post(url, {"step": step, **{f"{step}-{key}": value for key, value in data.items()}}, follow=True)

    day = lambda n: (today - datetime.timedelta(days=n)).strftime("%d/%m/%Y")  # noqa: E731
    from dacrre.core.exceptions import InvalidTransitionError
    from offender_management.progress import programme_stage_move

    with pytest.raises(InvalidTransitionError, match="is referred: it cannot be moved to completed"):
        programme_stage_move(actor=worker, allocation=allocation, to_stage=ProgrammeStage.COMPLETED, on=today)
    assert "Saved." in post("stage", to_stage="assessed", on=day(50)).content.decode()
    assert "Saved." in post("stage", to_stage="engaged", on=day(45)).content.decode()
    start = {category.value: "3" for category in BehaviourCategory}
    assert "Saved." in post("measure", point="start", measured_on=day(45), **start).content.decode()
    exit_scores = dict(start, physical="0", harassment_stalking="1")
    assert "Saved." in post("attendance", session_on=day(30), attended="yes").content.decode()
    again = post("attendance", session_on=day(30), attended="no").content.decode()
    assert "already recorded" in again  # the same session twice is said, not stored
    assert "Saved." in post("measure", point="exit", measured_on=day(1), **exit_scores).content.decode()
    withdraw = post("stage", to_stage="withdrawn", on=day(0)).content.decode()
    assert "Say why the perpetrator withdrew" in withdraw
    page = post("stage", to_stage="completed", on=day(0)).content.decode()
    allocation.refresh_from_db()
    assert allocation.stage == ProgrammeStage.COMPLETED
    assert page.count("Reduced") == 2 and "Not reduced" in page
    assert "Record session" not in page  # no more sessions once completed

    # The force sees the programme but does not run it.
    officer_page = login(officer).get(url)
    assert officer_page.status_code == 200 and "Record measure" not in officer_page.content.decode()
    assert login(officer).post(url, {"step": "attendance"}).status_code == 403
