"""Summary lists offer "Change" beside what the reader may change, leading to that field's form,
and not to a reader who may not change it."""

import pytest
from django.urls import reverse

from dacrre.accounts.models import Role, Scope
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)


@pytest.mark.django_db
def test_the_case_page_offers_change_beside_status_and_holders_to_those_who_may(login) -> None:
    supervisor = UserFactory(role=Role.SUPERVISOR, scope=Scope.AREA)
    case = CaseFactory(area=supervisor.area)
    victim = CaseVictimFactory(case=case).victim
    page = login(supervisor).get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert f'href="{reverse("cases:status", args=[case.public_id])}">Change' in page
    assert f'href="{reverse("oversight:staff", args=[case.public_id])}#spoc-to_user">Change' in page
    victim_page = login(supervisor).get(reverse("victims:detail", args=[victim.public_id])).content.decode()
    assert f'href="{reverse("victims:details", args=[victim.public_id])}#id_phone">Change' in victim_page
    probation = ProbationAgencyFactory()
    grant_case_to(case, probation)
    worker = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    theirs = login(worker).get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "govuk-summary-list__actions" not in theirs.split("Next perpetrator visit")[0]
