"""Who sees which case: the right user gets in, and the wrong one gets the same 404 as a missing case."""

import re
import uuid

import pytest

from cases.selectors import cases_visible_to
from dacrre.accounts.models import Role, Scope
from tests.factories import AreaFactory, CaseFactory, UserFactory


def _without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


@pytest.fixture
def north_case(db):
    return CaseFactory()


@pytest.mark.django_db
def test_assigned_officer_sees_the_case_and_an_unassigned_colleague_does_not(north_case, login, client) -> None:
    spoc = UserFactory(area=north_case.area)
    north_case.spoc = spoc
    north_case.save()
    colleague = UserFactory(area=north_case.area, scope=Scope.ASSIGNED)

    assert list(cases_visible_to(spoc)) == [north_case]
    assert login(spoc).get(f"/cases/{north_case.public_id}/").status_code == 200

    assert list(cases_visible_to(colleague)) == []
    client.logout()
    assert login(colleague).get(f"/cases/{north_case.public_id}/").status_code == 404


@pytest.mark.django_db
def test_area_scope_covers_the_area_only(north_case) -> None:
    same_area = UserFactory(area=north_case.area, role=Role.SUPERVISOR, scope=Scope.AREA)
    other_area = UserFactory(area=AreaFactory(agency=north_case.owning_agency), role=Role.SUPERVISOR, scope=Scope.AREA)
    assert list(cases_visible_to(same_area)) == [north_case]
    assert list(cases_visible_to(other_area)) == []


@pytest.mark.django_db
def test_agency_scope_covers_the_owning_agency_only(north_case) -> None:
    inspector = UserFactory(area=AreaFactory(agency=north_case.owning_agency), role=Role.SUPERVISOR, scope=Scope.AGENCY)
    other_force = UserFactory(role=Role.SUPERVISOR, scope=Scope.AGENCY)
    assert list(cases_visible_to(inspector)) == [north_case]
    assert list(cases_visible_to(other_force)) == []


@pytest.mark.django_db
def test_superuser_status_does_not_widen_visibility(north_case, login) -> None:
    admin = UserFactory(is_superuser=True, is_staff=True, role=Role.ADMIN)
    assert list(cases_visible_to(admin)) == []
    assert login(admin).get(f"/cases/{north_case.public_id}/").status_code == 404


@pytest.mark.django_db
def test_hidden_and_missing_cases_answer_the_same(north_case, login) -> None:
    outsider = login(UserFactory())
    hidden = outsider.get(f"/cases/{north_case.public_id}/")
    missing = outsider.get(f"/cases/{uuid.uuid4()}/")
    assert hidden.status_code == missing.status_code == 404
    # Identical apart from the per-response CSRF token in the sign-out form.
    assert _without_csrf(hidden.content) == _without_csrf(missing.content)


@pytest.mark.django_db
def test_an_inactive_user_sees_nothing(north_case) -> None:
    user = UserFactory(area=north_case.area, role=Role.SUPERVISOR, scope=Scope.AGENCY, is_active=False)
    assert list(cases_visible_to(user)) == []
