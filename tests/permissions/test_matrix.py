"""The permission matrix: every URL of the project, for every kind of account an administrator can make.

URL patterns are enumerated from the resolver, so a page or API route added later without an entry
here fails `test_every_url_is_in_the_matrix`, and one that forgets the selector fails the matrix.

The actors are every role with every scope the admin allows it (dacrre/accounts/models.py
ROLE_SCOPES), placed where that role works (the owning force, a granted IDVA service, a granted
probation service), plus the accounts that must read nothing: a user and API tokens of a deactivated
agency, the token of a deactivated user, a housing service whose grant has ended but has not been
swept yet, and a supervisor whose break-glass look has ended. Each actor reads every route (GET, or
the entry's method) and posts to every route that takes a POST: an allowed POST succeeds or fails
validation (never a 500); a refused one answers 403 or 404 and writes nothing.

The world is built once per module (inside a transaction rolled back at the end); each test runs in
its own savepoint, so what one actor does is never seen by the next.
"""

import datetime
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cases.access.models import BreakGlassAccess, GrantSource
from cases.access.services import case_access_end_at
from dacrre.accounts.models import ROLE_SCOPES, Agency, Role, Scope
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


@dataclass(frozen=True)
class Actor:
    agency: str  # force (owns the case), other_force, idva, probation, housing, housing_expired, withdrawn
    role: str
    scope: str
    area: str = "north"  # for the force: north holds the case, south does not
    note: str = ""


ACTOR_SPECS: dict[str, Actor] = {
    # The owning force.
    "assigned_officer": Actor("force", Role.OFFICER, Scope.ASSIGNED, note="SPOC of the case"),
    "unassigned_officer": Actor("force", Role.OFFICER, Scope.ASSIGNED, note="same area, not assigned"),
    "area_officer": Actor("force", Role.OFFICER, Scope.AREA, note="officer whose area scope covers the case"),
    "area_supervisor": Actor("force", Role.SUPERVISOR, Scope.AREA, note="supervisor of the case's area"),
    "force_inspector": Actor("force", Role.SUPERVISOR, Scope.AGENCY, "south", "whole force, another area"),
    "analyst": Actor("force", Role.ANALYST, Scope.AGENCY, note="sees the force's cases, does no casework"),
    "auditor": Actor("force", Role.AUDITOR, Scope.NONE),
    "dpo": Actor("force", Role.DPO, Scope.NONE, note="data protection officer: retention reviews, subject access"),
    "superuser_admin": Actor("force", Role.ADMIN, Scope.NONE, note="also superuser and staff"),
    "ended_break_glass": Actor("force", Role.SUPERVISOR, Scope.AREA, "south", "their break-glass look has ended"),
    # Other agencies.
    "granted_idva": Actor("idva", Role.IDVA, Scope.AGENCY, note="granted the case with contact details"),
    "assigned_idva": Actor("idva", Role.IDVA, Scope.ASSIGNED, note="same agency, assigned-only scope"),
    "granted_probation": Actor("probation", Role.PARTNER_CASEWORKER, Scope.AGENCY, note="perpetrator-side, granted"),
    "assigned_probation": Actor("probation", Role.PARTNER_CASEWORKER, Scope.ASSIGNED, note="perpetrator-side"),
    "ungranted_housing": Actor("housing", Role.PARTNER_CASEWORKER, Scope.AGENCY, note="no grant; gets a referral"),
    "expired_grant_housing": Actor("housing_expired", Role.PARTNER_CASEWORKER, Scope.AGENCY, note="grant ended"),
    "other_force_inspector": Actor("other_force", Role.SUPERVISOR, Scope.AGENCY),
    # Accounts that must read nothing at all.
    "withdrawn_agency_user": Actor("withdrawn", Role.IDVA, Scope.AGENCY, note="agency deactivated after sign-in"),
    "withdrawn_agency_token": Actor("withdrawn", Role.IDVA, Scope.AGENCY, note="API token, agency deactivated"),
    "inactive_user_token": Actor("force", Role.OFFICER, Scope.AREA, note="API token of a deactivated user"),
}
ACTORS = list(ACTOR_SPECS)
TOKEN_ACTORS = {"withdrawn_agency_token", "inactive_user_token"}
# Signed out on their next request (pages send them to sign in; the API answers 401) whatever the route.
SIGNED_OUT = {"withdrawn_agency_user"} | TOKEN_ACTORS

# Who sees the case, and groups the app matrices use (tests/permissions/matrix_<app>.py).
SEE_CASE = {
    "assigned_officer",
    "area_officer",
    "area_supervisor",
    "force_inspector",
    "analyst",
    "granted_idva",
    "assigned_idva",
    "granted_probation",
    "assigned_probation",
}
# The owning force's officers and supervisors who see the case: they do its casework.
OWNING_CASEWORKERS = {"assigned_officer", "area_officer", "area_supervisor", "force_inspector"}
FORCE_SUPERVISORS = {"area_supervisor", "force_inspector", "ended_break_glass"}
SUPERVISORS = FORCE_SUPERVISORS | {"other_force_inspector"}
VICTIM_SIDE_PARTNERS = {"granted_idva", "assigned_idva"}
PERPETRATOR_SIDE_PARTNERS = {"granted_probation", "assigned_probation"}
# The force's users with a role in its meetings (officers, supervisors; IDVAs and partners elsewhere).
FORCE_CASEWORKERS = OWNING_CASEWORKERS | {"unassigned_officer", "ended_break_glass"}

ALLOWED = {200, 201, 302, 400}  # done, or refused by validation with the form shown again
REFUSED = {403, 404}


def test_every_role_and_scope_the_admin_allows_is_an_actor() -> None:
    made = {(spec.role, spec.scope) for spec in ACTOR_SPECS.values()}
    for role, scopes in ROLE_SCOPES.items():
        for scope in scopes:
            assert (role, scope) in made, f"no matrix actor has role {role} with scope {scope}"


@dataclass
class World:
    case: Any
    victim: Any
    users: dict
    break_glass: Any
    tokens: dict = field(default_factory=dict)
    withdrawn_agency: Any = None


def _build_world() -> World:
    north = AreaFactory(name="North")
    police = north.agency
    south = AreaFactory(agency=police, name="South")
    case = CaseFactory(area=north)
    victim = CaseVictimFactory(case=case).victim
    agencies = {
        "force": police,
        "other_force": AreaFactory().agency,
        "idva": IdvaAgencyFactory(),
        "probation": ProbationAgencyFactory(),
        "housing": VictimSideAgencyFactory(),
        "housing_expired": VictimSideAgencyFactory(),
        "withdrawn": IdvaAgencyFactory(),
    }
    for kind in ("idva", "probation", "withdrawn"):
        grant_case_to(case, agencies[kind], shares_victim_contact=True)
    # A completed referral's retention has ended, but the hourly job has not revoked the grant yet.
    expired = grant_case_to(case, agencies["housing_expired"], shares_victim_contact=True)
    case_access_end_at(
        source_kind=GrantSource.REFERRAL,
        source_id=expired.source_id,
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    areas = {"north": north, "south": south}
    users = {}
    for name, spec in ACTOR_SPECS.items():
        agency = agencies[spec.agency]
        area = areas[spec.area] if spec.agency == "force" else (agency.areas.first() or AreaFactory(agency=agency))
        users[name] = UserFactory(
            area=area,
            agency=agency,
            role=spec.role,
            scope=spec.scope,
            is_staff=name == "superuser_admin",
            is_superuser=name == "superuser_admin",
        )
    case.spoc = users["assigned_officer"]
    case.save()
    now = timezone.now()
    break_glass = BreakGlassAccess.objects.create(
        user=users["area_supervisor"], case=case, reason="Matrix fixture", expires_at=now
    )
    BreakGlassAccess.objects.create(
        user=users["ended_break_glass"],
        case=case,
        reason="Looked at it last week for an urgent safeguarding call",
        opened_at=now - datetime.timedelta(days=7),
        expires_at=now - datetime.timedelta(days=7) + datetime.timedelta(hours=4),
    )
    tokens = {name: Token.objects.create(user=users[name]).key for name in TOKEN_ACTORS}
    users["inactive_user_token"].is_active = False
    users["inactive_user_token"].save(update_fields=["is_active"])
    Agency.objects.filter(pk=agencies["withdrawn"].pk).update(is_active=False)
    return World(
        case=case,
        victim=victim,
        users=users,
        break_glass=break_glass,
        tokens=tokens,
        withdrawn_agency=agencies["withdrawn"],
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction that is rolled back after its last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build_world()
        _matrix(built)  # the records the app matrices make (a referral, a meeting...) belong to the world
        yield built
        transaction.set_rollback(True)


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


def _matrix(world) -> dict:
    """{url name: (method, url arguments, expected status per actor[, expected POST status per actor])}
    for every record page of the project, built once per world."""
    cached = getattr(world, "_matrix_entries", None)
    if cached is not None:
        return cached
    case, victim = world.case, world.victim
    see = {actor: 200 if actor in SEE_CASE else 404 for actor in ACTORS}
    every = dict.fromkeys(ACTORS, 200)
    auditor_only = {actor: 200 if actor == "auditor" else 403 for actor in ACTORS}
    matrix = {
        # The start page: officers and IDVAs have their caseload there; every other role is sent to its
        # work (team, referral inbox, access log, administration).
        "cases:home": (
            "get",
            [],
            {a: 200 if ACTOR_SPECS[a].role in {Role.OFFICER, Role.IDVA} else 302 for a in ACTORS},
        ),
        "cases:caseload": ("get", [], every),
        "cases:list": ("get", [], every),
        "cases:detail": ("get", [case.public_id], see),
        "cases:break_glass": ("get", [], {a: 200 if a in SUPERVISORS else 403 for a in ACTORS}),
        "perpetrators:detail": ("get", [case.perpetrator.public_id], see),
        "victims:detail": ("get", [victim.public_id], see),
        "audit:access_log": ("get", [], auditor_only),
        "audit:break_glass_reviews": ("get", [], auditor_only),
        # The glossary (linked from every page's footer) holds no record: every signed-in user.
        "glossary": ("get", [], every),
        # 400 for the auditor: the empty review note is refused.
        "audit:break_glass_review": (
            "post",
            [world.break_glass.public_id],
            {a: 400 if a == "auditor" else 403 for a in ACTORS},
        ),
    }
    for module in _app_matrix_modules():
        matrix.update(module.entries(world))
    world._matrix_entries = matrix
    return matrix


def _record_url(world, name: str) -> tuple[str, str, dict[str, int]]:
    """(method, url, expected status per actor) for a record page of the project."""
    matrix = _matrix(world)
    if name not in matrix:
        pytest.fail(f"{name} is not in the permission matrix: add it to tests/permissions/matrix_<app>.py")
    method, args, expected, *_ = matrix[name]
    return method, reverse(name, args=args), expected


def _post_expected(world, name: str) -> dict[str, int]:
    """What a POST (with an empty body) answers each actor: the entry's own POST column if it has one,
    else the same as its GET (a page one may open is a form one may submit)."""
    method, _args, expected, *post = _matrix(world)[name]
    return post[0] if post else expected


def _app_matrix_modules() -> list:
    """Each app adds its pages in tests/permissions/matrix_<app>.py: `entries(world)` returns
    {url name: (method, url arguments, {actor: expected status}[, {actor: expected POST status}])}.
    It may use world.case, world.victim and world.users (absent in the confidentiality test: use .get)
    and the actor groups above."""
    folder = Path(__file__).parent
    return [importlib.import_module(f"tests.permissions.{path.stem}") for path in sorted(folder.glob("matrix_*.py"))]


def _is_record_page(name: str) -> bool:
    return not name.startswith(ADMIN_NAMESPACE) and not any(
        name == skip or (skip.endswith(":") and name.startswith(skip)) for skip in NOT_RECORD_PAGES
    )


def _record_pages() -> list[str]:
    return [name for name, _ in _all_named_patterns() if _is_record_page(name)]


def _client_for(world, actor: str, login, client):
    """A signed-in client (or a token client) for the actor. The withdrawn agency's user signs in while
    the agency is active; it is deactivated before their first request."""
    if actor in TOKEN_ACTORS:
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {world.tokens[actor]}"
        return client
    user = world.users[actor]
    if actor == "withdrawn_agency_user":
        Agency.objects.filter(pk=world.withdrawn_agency.pk).update(is_active=True)
        user.agency.refresh_from_db()
        signed_in = login(user)
        Agency.objects.filter(pk=world.withdrawn_agency.pk).update(is_active=False)
        return signed_in
    return login(user)


def _expected_for(actor: str, name: str, expected: dict[str, int]) -> set[int]:
    if actor in SIGNED_OUT:
        return {401} if name.startswith("api:") else {302}
    return {expected[actor]}


def test_every_url_is_in_the_matrix(world, db) -> None:
    names = _record_pages()
    assert len(names) >= 9
    for name in names:
        _record_url(world, name)


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(world, login, client, actor) -> None:
    client = _client_for(world, actor, login, client)
    for name in _record_pages():
        method, url, expected = _record_url(world, name)
        response = getattr(client, method)(url)
        assert response.status_code in _expected_for(actor, name, expected), f"{actor} {method.upper()} {name} {url}"
        if actor in SIGNED_OUT and response.status_code == 302:
            assert response["Location"].startswith(reverse("accounts:login")), f"{actor} {name}"
        if name == "cases:list" and response.status_code == 200:
            listed = world.case.reference in response.content.decode()
            assert listed == (actor in SEE_CASE), f"{actor} sees the case in {name}: {listed}"


def test_a_withdrawn_agency_user_is_told_why_they_were_signed_out(world, login, client, db) -> None:
    client = _client_for(world, "withdrawn_agency_user", login, client)
    response = client.get(reverse("cases:detail", args=[world.case.public_id]), follow=True)
    assert "access to dacrre has been withdrawn" in response.content.decode()
    assert world.case.reference not in response.content.decode()


# Tables a refused request may still write: its own access-log row, the session, sign-in bookkeeping.
_BOOKKEEPING = ("audit_accesslog", "django_session", "axes_", "otp_", "authtoken_")


def _rows_written() -> int:
    """Rows inserted, updated or deleted so far in this transaction outside the bookkeeping tables
    (PostgreSQL's per-transaction statistics)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables "
            "WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        return sum(count for table, count in cursor.fetchall() if not table.startswith(_BOOKKEEPING))


# Routes found to take no POST (405 whoever asks), so that later actors skip them.
_GET_ONLY: set[str] = set()


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_write_counter_sees_a_write(world, login, client) -> None:
    """The guard below can fail: recording a MARAC referral writes rows, and the counter sees them."""
    client = login(world.users["assigned_officer"])
    before = _rows_written()
    assert client.post(reverse("risk:marac_referral", args=[world.case.public_id])).status_code == 302
    assert _rows_written() > before


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_every_post_route_as_every_actor(world, login, client, actor) -> None:
    """Every route that takes a POST, posted to (empty body) by every actor: allowed ones succeed or
    fail validation, refused ones answer 403 or 404 and change nothing; never a 500 (the test client
    raises it). Each POST is undone before the next."""
    client = _client_for(world, actor, login, client)
    for name in _record_pages():
        if name in _GET_ONLY:
            continue
        _method, url, _expected = _record_url(world, name)
        expected = _post_expected(world, name)[actor]
        savepoint = transaction.savepoint()
        before = _rows_written()
        response = client.post(url)
        written = _rows_written() - before
        transaction.savepoint_rollback(savepoint)
        if response.status_code == 405:
            _GET_ONLY.add(name)  # the route takes no POST
            continue
        where = f"{actor} POST {name} {url}: {response.status_code}"
        if actor in SIGNED_OUT:
            assert response.status_code in _expected_for(actor, name, {}), where
        elif expected in REFUSED:
            assert response.status_code in REFUSED, f"{where}, expected {expected}"
        else:
            assert response.status_code in ALLOWED, f"{where}, expected {expected}"
        if response.status_code not in ALLOWED or actor in SIGNED_OUT:
            assert written == 0, f"{where} wrote {written} rows"


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_the_admin_is_for_staff_only_and_shows_no_victim_details_to_others(world, login, client, actor) -> None:
    client = _client_for(world, actor, login, client)
    response = client.get("/admin/")
    if actor == "superuser_admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"] or response["Location"].startswith(reverse("accounts:login"))
