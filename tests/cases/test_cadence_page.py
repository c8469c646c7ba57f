import pytest

from cases.cadence import cadence_days
from cases.models import CadenceKind, CadenceRule, RiskLevel
from dacrre.accounts.models import Role, Scope
from tests.factories import OperationFactory, UserFactory


@pytest.mark.django_db
def test_a_supervisor_sets_an_operations_cadences_and_bad_input_keeps_what_was_typed(login) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR, scope=Scope.AGENCY)
    operation = OperationFactory(lead_agency=supervisor.agency)
    client = login(supervisor)
    url = f"/operations/{operation.public_id}/cadences/"
    assert "Default 14 days" in client.get(url).content.decode()
    assert f"/operations/{operation.public_id}/cadences/" in client.get("/tasks/").content.decode()
    bad = client.post(url, {"visit__high": "7", "visit__medium": "400"})
    page = bad.content.decode()
    assert bad.status_code == 200 and "Enter a number of days from 1 to 365" in page and 'value="7"' in page
    assert not CadenceRule.objects.exists()
    assert client.post(url, {"visit__high": "7", "risk_review__standard": "60"}).status_code == 302
    assert cadence_days(kind=CadenceKind.VISIT, risk_level=RiskLevel.HIGH, operation=operation) == 7
    assert cadence_days(kind=CadenceKind.RISK_REVIEW, risk_level=RiskLevel.STANDARD, operation=operation) == 60
    client.post(url, {"visit__high": ""})  # blank: back to the default
    assert cadence_days(kind=CadenceKind.VISIT, risk_level=RiskLevel.HIGH, operation=operation) == 14
    officer = UserFactory(area=supervisor.area)
    assert login(officer).get(url).status_code == 403
