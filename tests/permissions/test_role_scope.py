"""Which scope each role may hold (dacrre/accounts/models.py ROLE_SCOPES), and visibility needing both.

Issue: an auditor given the scope "agency" in the admin saw every case of the force, because
visibility read the scope alone."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases.selectors import cases_in_scope_of, cases_visible_to
from dacrre.accounts.models import ROLE_SCOPES, Role, Scope, User
from dacrre.accounts.services import user_create
from tests.factories import AreaFactory, CaseFactory, UserFactory, VictimSideAgencyFactory, grant_case_to

EVERY_PAIR = [(role, scope) for role in Role.values for scope in Scope.values]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "scope"), EVERY_PAIR)
def test_the_database_refuses_a_scope_the_role_may_not_hold(role, scope) -> None:
    area = AreaFactory()
    user = User(username=f"u-{role}-{scope}", agency=area.agency, area=area, role=role, scope=scope)
    if scope in ROLE_SCOPES[role]:
        user.save()
        assert User.objects.filter(pk=user.pk).exists()
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            user.save()


@pytest.mark.django_db
def test_user_create_refuses_with_the_admins_message_and_defaults_to_the_roles_scope() -> None:
    area = AreaFactory()
    with pytest.raises(ValidationError) as refused:
        user_create(username="dpo", password=None, agency=area.agency, role=Role.AUDITOR, scope=Scope.AGENCY)
    assert "The role Auditor / DPO can only have the scope 'No cases'" in str(refused.value)
    assert user_create(username="dpo", password=None, agency=area.agency, role=Role.AUDITOR).scope == Scope.NONE
    analyst = user_create(username="kim", password=None, agency=area.agency, role=Role.ANALYST)
    assert analyst.scope == Scope.AGENCY


def _change_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "agency": user.agency_id,
        "area": user.area_id or "",
        "role": user.role,
        "scope": user.scope,
        "job_title": user.job_title,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_the_admin_refuses_an_auditor_with_a_scope_and_says_what_to_choose(login) -> None:
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    auditor = UserFactory(role=Role.AUDITOR)
    client = login(admin)
    url = f"/admin/accounts/user/{auditor.pk}/change/"

    refused = client.post(url, _change_form(auditor, scope=Scope.AGENCY))
    assert refused.status_code == 200
    assert "The role Auditor / DPO can only have the scope &#x27;No cases&#x27;" in refused.content.decode()
    auditor.refresh_from_db()
    assert auditor.scope == Scope.NONE

    # A valid change goes through: the same account made an area supervisor.
    done = client.post(url, _change_form(auditor, role=Role.SUPERVISOR, scope=Scope.AREA))
    assert done.status_code == 302, done.content.decode()
    auditor.refresh_from_db()
    assert (auditor.role, auditor.scope) == (Role.SUPERVISOR, Scope.AREA)


@pytest.mark.django_db
def test_the_admin_refuses_an_area_scope_without_an_area(login) -> None:
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    officer = UserFactory(area=None, agency=AreaFactory().agency)
    response = login(admin).post(
        f"/admin/accounts/user/{officer.pk}/change/", _change_form(officer, scope=Scope.AREA, area="")
    )
    assert response.status_code == 200
    assert "Choose the user&#x27;s area or team" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMIN])
def test_visibility_needs_the_role_as_well_as_the_scope(role) -> None:
    """Even an account that somehow held an unallowed pair (here in memory) sees nothing: the
    selectors check the pair themselves, and neither holding a case nor an agency grant opens one."""
    case = CaseFactory()
    wrongly_scoped = UserFactory(area=case.area, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    wrongly_scoped.role = role  # in memory only: the database refuses the pair
    assert list(cases_visible_to(wrongly_scoped)) == []
    assert list(cases_in_scope_of(wrongly_scoped)) == []
    holder = UserFactory(area=case.area, role=role)
    case.spoc = holder
    case.save()
    assert list(cases_visible_to(holder)) == []
    housing = VictimSideAgencyFactory()
    grant_case_to(case, housing)
    assert list(cases_visible_to(UserFactory(area=AreaFactory(agency=housing), role=role))) == []
    # The same account as a supervisor sees the case by its scope.
    wrongly_scoped.role = Role.SUPERVISOR
    assert list(cases_visible_to(wrongly_scoped)) == [case]


@pytest.mark.django_db
def test_an_analyst_sees_the_forces_cases_but_supervises_none() -> None:
    case = CaseFactory()
    analyst = UserFactory(area=AreaFactory(agency=case.owning_agency), role=Role.ANALYST)
    assert list(cases_visible_to(analyst)) == [case]
    assert list(cases_in_scope_of(analyst)) == []


def test_existing_rows_are_normalised_to_the_widest_allowed_scope_no_wider_than_before() -> None:
    migration = importlib.import_module("dacrre.accounts.migrations.0004_user_role_scope_allowed")
    expected = {
        ("auditor", "agency"): "none",
        ("admin", "assigned"): "none",
        ("officer", "agency"): "area",
        ("idva", "area"): "assigned",
        ("partner_caseworker", "area"): "assigned",
        ("supervisor", "assigned"): "area",  # no narrower scope is allowed: the role's narrowest
        ("analyst", "assigned"): "agency",
        ("officer", "assigned"): "assigned",
    }
    for (role, scope), wanted in expected.items():
        assert migration.normalised_scope(role, scope) == wanted, (role, scope)
        assert wanted in ROLE_SCOPES[role]
