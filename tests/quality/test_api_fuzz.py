"""API fuzzing: schemathesis generates requests from the OpenAPI schema for every operation and
sends them with a partner agency's token. No server errors, responses as the schema says, and
nothing of another agency's cases in any response."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from dacrre.accounts.models import Role, Scope
from dacrre.wsgi import application
from referrals.services import referral_send
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    PerpetratorFactory,
    PersonFactory,
    UserFactory,
    VictimSideAgencyFactory,
)
from tests.referrals.test_referrals import _refer

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

OTHER_FORCE_MARK = "Zebedee-Otherforce"


@pytest.fixture
def keep_the_test_connection():
    """The requests go straight to the WSGI application, not through Django's test client, so its
    end-of-request hook would close the test's database connection; detach it as the client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def partner_token(db, keep_the_test_connection):
    """A housing agency with a referral sent to it; elsewhere, another force's case it must never see."""
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    housing = VictimSideAgencyFactory()
    referral_send(actor=officer, referral=_refer(officer, case, victim.person, housing))
    hidden = CaseFactory(perpetrator=PerpetratorFactory(person=PersonFactory(family_name=OTHER_FORCE_MARK)))
    account = UserFactory(
        area=AreaFactory(agency=housing), agency=housing, role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY
    )
    return Token.objects.create(user=account).key, hidden.reference


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_holds_up_to_generated_requests(case, partner_token) -> None:
    key, hidden_reference = partner_token
    response = case.call(headers={"Authorization": f"Token {key}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance, content_type_conformance])
    assert OTHER_FORCE_MARK not in response.text and hidden_reference not in response.text
