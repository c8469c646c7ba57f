"""The virtual users of a load run: real accounts from the generated dataset, each given a signed-in
session (with the second factor, as after a real sign-in) or its agency's API token, and the cases and
referrals it will open, chosen through the same selectors as the pages so that every request is one
the user is allowed to make."""

from typing import Any, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from rest_framework.authtoken.models import Token

from cases.models import Case
from cases.selectors import caseload_for, cases_in_scope_of, cases_visible_to
from dacrre.accounts.benchmarks import signed_in_session
from dacrre.accounts.models import Agency, AgencyKind, Role, Scope, User
from referrals.selectors import inbox_for

from .generate import AGENCY_PREFIX

# How many of the run's concurrent users play each part (50 in all), and how many cases each opens.
MIX = {"officer": 20, "supervisor": 5, "idva": 8, "partner": 12, "api": 5}
CASES_PER_USER = 20
API_USERNAME_PREFIX = "lt-api-"
T = TypeVar("T", User, Agency)


def mix_for(users: int) -> dict[str, int]:
    """MIX scaled to `users` concurrent users, at least one of each part."""
    total = sum(MIX.values())
    mix = {part: max(1, users * count // total) for part, count in MIX.items()}
    mix["officer"] += users - sum(mix.values())  # the rounding goes to the largest part
    return mix


def _case_ids(cases: QuerySet[Case]) -> list[str]:
    return [str(public_id) for public_id in cases.values_list("public_id", flat=True)[:CASES_PER_USER]]


def _spread(queryset: QuerySet[T], count: int) -> list[T]:
    """`count` rows spread evenly through the list, so that every agency and area takes part."""
    candidates = list(queryset.order_by("pk"))
    return candidates[:: max(1, len(candidates) // count)][:count]


def _staff(role: Role, **filters: Any) -> QuerySet[User]:
    return User.objects.filter(agency__name__startswith=AGENCY_PREFIX, role=role, is_active=True, **filters)


def _api_account(agency: Agency) -> User:
    account, _ = User.objects.get_or_create(
        username=f"{API_USERNAME_PREFIX}{agency.pk}",
        defaults={"agency": agency, "role": Role.PARTNER_CASEWORKER, "scope": Scope.ASSIGNED},
    )
    return account


def plan_build(mix: dict[str, int] = MIX) -> dict[str, Any]:
    """Identities for each part: a session (or token) and what that user opens. Only users with
    something to open are chosen."""
    parts: dict[str, list[dict[str, Any]]] = {}
    officers = _staff(Role.OFFICER, cases_as_spoc__status__in=["active", "identified", "under_review"]).distinct()
    parts["officer"] = [
        {"session": signed_in_session(user), "cases": _case_ids(caseload_for(user))}
        for user in _spread(officers, mix["officer"])
    ]
    supervisors = _staff(Role.SUPERVISOR, scope=Scope.AREA, agency__kind=AgencyKind.POLICE)
    parts["supervisor"] = [
        {"session": signed_in_session(user), "cases": _case_ids(cases_in_scope_of(user).exclude(status="closed"))}
        for user in _spread(supervisors, mix["supervisor"])
    ]
    idvas = _staff(Role.IDVA, cases_as_idva__status__in=["active", "identified", "under_review"]).distinct()
    parts["idva"] = [
        {"session": signed_in_session(user), "cases": _case_ids(caseload_for(user))}
        for user in _spread(idvas, mix["idva"])
    ]
    caseworkers = _staff(Role.PARTNER_CASEWORKER).exclude(username__startswith=API_USERNAME_PREFIX)
    parts["partner"] = [
        {
            "session": signed_in_session(user),
            "cases": _case_ids(cases_visible_to(user).exclude(status="closed")),
            "referrals": [str(r.public_id) for r in inbox_for(user)[:CASES_PER_USER]],
        }
        for user in _spread(caseworkers, mix["partner"])
    ]
    partner_agencies = Agency.objects.filter(name__startswith=AGENCY_PREFIX).exclude(kind=AgencyKind.POLICE)
    parts["api"] = []
    for agency in _spread(partner_agencies, mix["api"]):
        account = _api_account(agency)
        token, _ = Token.objects.get_or_create(user=account)
        parts["api"].append({"token": token.key, "cases": _case_ids(cases_visible_to(account))})
    for part, identities in parts.items():
        if not identities or not all(identity["cases"] for identity in identities):
            raise RuntimeError(f"The dataset has no {part} with cases to open: generate it with loadtest_generate.")
    return {"session_cookie": settings.SESSION_COOKIE_NAME, "mix": mix, "parts": parts}
