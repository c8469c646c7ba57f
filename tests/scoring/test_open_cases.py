import pytest

from cases.models import Case
from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import PermissionDeniedError
from incidents.models import OffenceCategory
from scoring.services import cases_open_for_perpetrators
from tests.factories import (
    AreaFactory,
    ChildFactory,
    IncidentFactory,
    OperationFactory,
    PerpetratorFactory,
    UserFactory,
    VictimFactory,
)


@pytest.fixture
def setting(db):
    north = AreaFactory(name="North")
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    operation = OperationFactory(lead_agency=north.agency)
    perpetrator = PerpetratorFactory()
    victim_a, victim_b, child = VictimFactory(), VictimFactory(), ChildFactory()
    first = IncidentFactory(perpetrator=perpetrator, area=north, offence_category=OffenceCategory.ABH)
    first.victims.set([victim_a])
    first.children_present.set([child])
    IncidentFactory(perpetrator=perpetrator, area=north).victims.set([victim_a, victim_b])
    return supervisor, operation, perpetrator, {victim_a, victim_b}, child


@pytest.mark.django_db
def test_opens_cases_with_victims_and_children_from_the_incidents_once(setting) -> None:
    supervisor, operation, perpetrator, victims, child = setting
    opened, skipped = cases_open_for_perpetrators(actor=supervisor, operation=operation, perpetrators=[perpetrator])
    case = opened[0]
    assert (case.operation, case.owning_agency, skipped) == (operation, supervisor.agency, [])
    assert set(case.victims.all()) == victims and list(case.children.all()) == [child]
    opened, skipped = cases_open_for_perpetrators(actor=supervisor, operation=operation, perpetrators=[perpetrator])
    assert (opened, skipped) == ([], [perpetrator])
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_only_supervisors_open_cases(setting) -> None:
    supervisor, operation, perpetrator, _, _ = setting
    analyst = UserFactory(area=supervisor.area, role=Role.ANALYST, scope=Scope.AGENCY)
    with pytest.raises(PermissionDeniedError):
        cases_open_for_perpetrators(actor=analyst, operation=operation, perpetrators=[perpetrator])


@pytest.mark.django_db
def test_opening_from_the_page(setting, login) -> None:
    supervisor, operation, perpetrator, _, _ = setting
    client = login(supervisor)
    client.post("/scoring/refresh/")
    page = client.get("/scoring/").content.decode()
    assert str(perpetrator.public_id) in page
    response = client.post(
        "/scoring/open-cases/",
        {"perpetrator": [str(perpetrator.public_id), "not-a-uuid"], "operation_for_cases": str(operation.public_id)},
        follow=True,
    )
    assert "1 case opened in" in response.content.decode()
    assert Case.objects.get().perpetrator == perpetrator
    nothing = client.post("/scoring/open-cases/", {"operation_for_cases": ""}, follow=True)
    assert "Choose an operation and at least one perpetrator" in nothing.content.decode()
