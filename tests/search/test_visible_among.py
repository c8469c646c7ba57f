"""`cases_visible_among` (a search's candidates, tested row by row) agrees with `cases_visible_to`
for every reason a user sees a case, and for the reasons that have ended."""

import datetime

import pytest
from django.utils import timezone

from cases.access.models import BreakGlassAccess
from cases.models import Case
from cases.selectors import cases_visible_among, cases_visible_to
from dacrre.accounts.models import Role, Scope
from tests.factories import (
    AreaFactory,
    CaseFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)


@pytest.mark.django_db
def test_the_row_by_row_rule_agrees_with_the_visible_cases() -> None:
    north = AreaFactory(name="North")
    south = AreaFactory(agency=north.agency, name="South")
    officer = UserFactory(area=north)
    cases = [CaseFactory(area=north, spoc=officer), CaseFactory(area=north), CaseFactory(area=south), CaseFactory()]
    idva_agency, probation = IdvaAgencyFactory(), ProbationAgencyFactory()
    grant_case_to(cases[1], idva_agency, shares_victim_contact=True)
    grant_case_to(cases[2], probation)
    now = timezone.now()
    looker = UserFactory(area=south, role=Role.SUPERVISOR, scope=Scope.AREA)
    BreakGlassAccess.objects.create(
        user=looker, case=cases[0], reason="Out of hours", expires_at=now + datetime.timedelta(hours=1)
    )
    BreakGlassAccess.objects.create(
        user=looker, case=cases[1], reason="Last week", expires_at=now - datetime.timedelta(hours=1)
    )
    inactive = UserFactory(area=north, scope=Scope.AREA, is_active=False)
    users = [
        officer,
        UserFactory(area=north, scope=Scope.AREA),
        UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY),
        UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY),
        UserFactory(area=None, agency=north.agency, role=Role.AUDITOR),
        UserFactory(area=AreaFactory(agency=idva_agency), role=Role.IDVA, scope=Scope.AGENCY),
        UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.ASSIGNED),
        looker,
        inactive,
    ]
    for user in users:
        expected = set(cases_visible_to(user).values_list("pk", flat=True))
        assert set(cases_visible_among(user, Case.objects.all()).values_list("pk", flat=True)) == expected, user
