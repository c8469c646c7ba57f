"""The permission matrix: every URL of the project, for every kind of user.

URL patterns are enumerated from the resolver, so a page or API route added later without an entry
here fails `test_every_url_is_in_the_matrix`, and one that forgets the selector fails the matrix.
"""

import importlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dacrre.accounts.models import Role, Scope
from dacrre.permissions.models import BreakGlassAccess
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimSideAgencyFactory,
    grant_case_to,
)

# Patterns that are not about records and are covered by their own tests.
NOT_RECORD_PAGES = {
    "accounts:",  # sign-in, second factor, sign-out (tests/accounts)
    "healthz",
    "readyz",
    "api-schema",
    "api-docs",
}
ADMIN_NAMESPACE = "admin:"

ACTORS = [
    "assigned_officer",  # SPOC of the case, owning agency
    "area_supervisor",  # owning agency, area scope covering the case
    "unassigned_officer",  # owning agency, not assigned, assigned-only scope
    "granted_idva",  # victim-side agency granted the case with consent to share contact details
    "granted_probation",  # perpetrator-side agency granted the case (and "sharing" ticked)
    "ungranted_housing",  # victim-side agency with no grant
    "other_force_inspector",  # another police force, agency scope
    "auditor",
    "superuser_admin",
]
SEE_CASE = {"assigned_officer", "area_supervisor", "granted_idva", "granted_probation"}


@dataclass
class World:
    case: object
    victim: object
    users: dict
    break_glass: object


@pytest.fixture
def world(db) -> World:
    north = AreaFactory()
    police = north.agency
    case = CaseFactory(area=north)
    victim = CaseVictimFactory(case=case).victim
    idva_agency, probation, housing = IdvaAgencyFactory(), ProbationAgencyFactory(), VictimSideAgencyFactory()
    grant_case_to(case, idva_agency, shares_victim_contact=True)
    grant_case_to(case, probation, shares_victim_contact=True)

    def member(agency, **kwargs):
        return UserFactory(area=AreaFactory(agency=agency) if agency else None, agency=agency, **kwargs)

    users = {
        "assigned_officer": UserFactory(area=north),
        "area_supervisor": UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA),
        "unassigned_officer": UserFactory(area=north),
        "granted_idva": member(idva_agency, role=Role.IDVA, scope=Scope.AGENCY),
        "granted_probation": member(probation, role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY),
        "ungranted_housing": member(housing, role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY),
        "other_force_inspector": UserFactory(role=Role.SUPERVISOR, scope=Scope.AGENCY),
        "auditor": member(police, role=Role.AUDITOR),
        "superuser_admin": member(police, role=Role.ADMIN, is_staff=True, is_superuser=True),
    }
    case.spoc = users["assigned_officer"]
    case.save()
    from django.utils import timezone

    break_glass = BreakGlassAccess.objects.create(
        user=users["area_supervisor"], case=case, reason="Matrix fixture", expires_at=timezone.now()
    )
    return World(case=case, victim=victim, users=users, break_glass=break_glass)


def _all_named_patterns(patterns=None, prefix="") -> list[tuple[str, URLPattern]]:
    """Each URL name once (the API router repeats names for its format-suffix patterns)."""
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += _all_named_patterns(entry.url_patterns, namespace)
        elif entry.name and f"{prefix}{entry.name}" not in {name for name, _ in found}:
            found.append((f"{prefix}{entry.name}", entry))
    return found


def _record_url(world: World, name: str) -> tuple[str, str, dict[str, int]]:
    """(method, url, expected status per actor) for every record page of the project."""
    case, victim = world.case, world.victim
    see = {actor: 200 if actor in SEE_CASE else 404 for actor in ACTORS}
    every = dict.fromkeys(ACTORS, 200)
    auditor_only = {actor: 200 if actor == "auditor" else 403 for actor in ACTORS}
    supervisors = {"area_supervisor", "other_force_inspector"}
    # name: (method, url arguments, expected status per actor)
    matrix = {
        # The start page: officers and IDVAs have their caseload there; every other role is sent to its
        # work (team, referral inbox, access log, administration).
        "cases:home": (
            "get",
            [],
            {a: 200 if a in {"assigned_officer", "unassigned_officer", "granted_idva"} else 302 for a in ACTORS},
        ),
        "cases:caseload": ("get", [], every),
        "cases:list": ("get", [], every),
        "cases:detail": ("get", [case.public_id], see),
        "cases:break_glass": ("get", [], {a: 200 if a in supervisors else 403 for a in ACTORS}),
        "perpetrators:detail": ("get", [case.perpetrator.public_id], see),
        "victims:detail": ("get", [victim.public_id], see),
        "audit:access_log": ("get", [], auditor_only),
        "audit:break_glass_reviews": ("get", [], auditor_only),
        # 400 for the auditor: the empty review note is refused.
        "audit:break_glass_review": (
            "post",
            [world.break_glass.public_id],
            {a: 400 if a == "auditor" else 403 for a in ACTORS},
        ),
    }
    for module in _app_matrix_modules():
        matrix.update(module.entries(world))
    if name not in matrix:
        pytest.fail(f"{name} is not in the permission matrix: add it to tests/permissions/test_matrix.py")
    method, args, expected = matrix[name]
    return method, reverse(name, args=args), expected


def _app_matrix_modules() -> list:
    """Each app adds its pages in tests/permissions/matrix_<app>.py: `entries(world)` returns
    {url name: (method, url arguments, {actor: expected status})}. It may use world.case,
    world.victim and world.users (absent in the confidentiality test: use .get)."""
    folder = Path(__file__).parent
    return [importlib.import_module(f"tests.permissions.{path.stem}") for path in sorted(folder.glob("matrix_*.py"))]


def _is_record_page(name: str) -> bool:
    return not name.startswith(ADMIN_NAMESPACE) and not any(
        name == skip or (skip.endswith(":") and name.startswith(skip)) for skip in NOT_RECORD_PAGES
    )


def test_every_url_is_in_the_matrix(world) -> None:
    names = [name for name, _ in _all_named_patterns() if _is_record_page(name)]
    assert len(names) >= 9
    for name in names:
        _record_url(world, name)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(world, login, actor) -> None:
    client = login(world.users[actor])
    for name, _ in _all_named_patterns():
        if not _is_record_page(name):
            continue
        method, url, expected = _record_url(world, name)
        response = getattr(client, method)(url)
        assert response.status_code == expected[actor], f"{actor} {method.upper()} {name} {url}"
        if name in {"cases:list"}:
            listed = world.case.reference in response.content.decode()
            assert listed == (actor in SEE_CASE), f"{actor} sees the case in {name}: {listed}"


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_the_admin_is_for_staff_only_and_shows_no_victim_details_to_others(world, login, actor) -> None:
    response = login(world.users[actor]).get("/admin/")
    if actor == "superuser_admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
