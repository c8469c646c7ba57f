"""Visibility-aware reads of cases: the one place that decides which cases a user may see.

A user sees a case when they are assigned to it, when their scope (area or agency) covers it, when
their agency holds a grant on it (guardian, direct foreign-key table), or during an active
break-glass look. Each reason needs the role as well (dacrre/accounts/models.py ROLE_SCOPES and
CASEWORK_ROLES): auditors and administrators see no case whatever their scope, analysts see their
agency's cases by scope only. An inactive user, or a user of an inactive agency, sees nothing. A
grant or a break-glass look ends at its end time, on the next request, whether or not the hourly
job has tidied it away yet. Superuser status and global model permissions are deliberately ignored.
"""

import enum
import uuid
from typing import Any

from django.contrib.auth.models import Permission
from django.db.models import Case as DbCase
from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from cases.access.models import BreakGlassAccess, CaseGroupObjectPermission
from dacrre.accounts.models import CASEWORK_ROLES, Role, Scope, User, scope_allowed
from dacrre.core.exceptions import NotFoundError

from .models import CASE_HOLDER_FIELDS, Case, CaseChild, CaseVictim, ChronologyEntry, ChronologyVisibility


class AccessBasis(enum.Enum):
    ASSIGNED = "assigned"
    SCOPE = "scope"
    GRANT = "grant"
    BREAK_GLASS = "break_glass"


_NOTHING = Q(pk__in=[])


def _may_read(user: User) -> bool:
    """Signed in, active, and (if they have one) their agency is active: the one rule every read
    below starts from (User.may_read)."""
    return bool(user.is_authenticated and user.may_read)


def _casework(user: User) -> bool:
    """Holding a case and seeing the cases granted to one's agency are for the casework roles."""
    return _may_read(user) and user.role in CASEWORK_ROLES


def _assigned_q(user: User) -> Q:
    if not _casework(user):
        return _NOTHING
    return cases_held_q(user.pk)


def cases_held_q(user_id: Any) -> Q:
    """Cases the person holds in any role (`user_id` may be an OuterRef)."""
    held = Q()
    for name in CASE_HOLDER_FIELDS:
        held |= Q(**{f"{name}_id": user_id})
    return held


def _scope_q(user: User) -> Q:
    """The user's scope, if their role may hold it (ROLE_SCOPES): an auditor given scope 'agency' by
    mistake still sees nothing."""
    if not _may_read(user) or user.agency_id is None or not scope_allowed(user.role, user.scope):
        return _NOTHING
    if user.scope == Scope.AGENCY:
        return Q(owning_agency_id=user.agency_id)
    if user.scope == Scope.AREA and user.area_id is not None:
        return Q(owning_agency_id=user.agency_id, area_id=user.area_id)
    return _NOTHING


def _current_q() -> Q:
    """A grant whose end time (a completed referral's retention) has not passed."""
    return Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())


def _agency_grants(user: User, codename: str) -> QuerySet[CaseGroupObjectPermission]:
    """The user's agency's current per-case permission rows (guardian, direct foreign key) of this
    kind, by the agency's group id and the permission's id (a scalar subquery, planned once): joining
    group, agency, permission and content type on every use instead made PostgreSQL spend 1-9 ms
    planning each query that decides visibility."""
    permission = Permission.objects.filter(codename=codename, content_type__app_label="cases").values("pk")[:1]
    return CaseGroupObjectPermission.objects.filter(
        _current_q(),
        group_id=user.agency.group_id,  # type: ignore[union-attr]
        permission_id=Subquery(permission),
    )


def agency_grant_q(case: str, agency: str, codename: str) -> Q:
    """The same grants as a condition on other rows, for the reminder sweeps: the agency at path
    `agency` holds a current grant of this kind on the case at path `case` (both paths from the
    outer query, e.g. "" and "idva__agency")."""
    permission = Permission.objects.filter(codename=codename, content_type__app_label="cases").values("pk")[:1]
    grants = CaseGroupObjectPermission.objects.filter(
        _current_q(),
        content_object_id=OuterRef(f"{case}pk"),
        group_id=OuterRef(f"{agency}__group_id"),
        permission_id=Subquery(permission),
    )
    return Q(Exists(grants))


def _agency_permission_q(user: User, codename: str) -> Q:
    if not _casework(user) or user.agency_id is None:
        return _NOTHING
    return Q(Exists(_agency_grants(user, codename).filter(content_object=OuterRef("pk"))))


def cases_in_scope_of(user: User) -> QuerySet[Case]:
    """The cases a supervisor answers for: their agency's, or their area's (never via grants). Other
    roles supervise nothing, whatever their scope."""
    if not _may_read(user) or user.role != Role.SUPERVISOR:
        return Case.objects.none()
    return Case.objects.filter(_scope_q(user))


def _visible_case_ids(user: User) -> QuerySet[Any, Any] | None:
    """The ids of the cases the user sees, as a UNION of one indexed lookup per reason (None when no
    reason can apply). (The same rule written as one OR of EXISTS made PostgreSQL scan every case:
    0.1 s at 200,000 cases.)"""
    reasons: list[QuerySet[Any, Any]] = [
        Case.objects.filter(q).values("pk") for q in (_assigned_q(user), _scope_q(user)) if q is not _NOTHING
    ]
    if _may_read(user) and user.role == Role.SUPERVISOR:
        reasons.append(BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now()).values("case_id"))
    if _casework(user) and user.agency_id is not None:
        reasons.append(_agency_grants(user, "view_case").values("content_object_id"))
    if not reasons:
        return None
    first, *rest = [reason.order_by() for reason in reasons]
    return first.union(*rest, all=True) if rest else first


def cases_visible_to(user: User) -> QuerySet[Case]:
    ids = _visible_case_ids(user) if _may_read(user) else None
    if ids is None:
        return Case.objects.none()
    return Case.objects.filter(pk__in=ids)


def case_access_basis(user: User, case: Case) -> AccessBasis:
    """Why the user sees a case they can see; break-glass only when nothing else applies. One query
    (none when the user holds the case)."""
    if _casework(user) and user.pk in case.holder_ids():
        return AccessBasis.ASSIGNED
    reasons = [
        When(q, then=Value(basis.value))
        for q, basis in (
            (_scope_q(user), AccessBasis.SCOPE),
            (_agency_permission_q(user, "view_case"), AccessBasis.GRANT),
        )
        if q is not _NOTHING
    ]
    if not reasons:
        return AccessBasis.BREAK_GLASS
    basis = (
        Case.objects.filter(pk=case.pk)
        .annotate(basis=DbCase(*reasons, default=Value(AccessBasis.BREAK_GLASS.value)))
        .values_list("basis", flat=True)
        .first()
    )
    return AccessBasis(basis or AccessBasis.BREAK_GLASS.value)


def case_victim_contact_allowed(user: User, case: Case) -> bool:
    """Victims' contact details on this case: the owning agency, or an agency the details were shared
    with by consent. Never a perpetrator-side agency. The caller has already checked visibility."""
    if not _may_read(user) or user.agency_id is None or user.is_perpetrator_side:
        return False
    if case.owning_agency_id == user.agency_id:
        return True
    return Case.objects.filter(pk=case.pk).filter(_agency_permission_q(user, "view_victim_contact")).exists()


def cases_with_victim_contact_for(user: User) -> QuerySet[Case]:
    if not _may_read(user) or user.agency_id is None or user.is_perpetrator_side:
        return Case.objects.none()
    return cases_visible_to(user).filter(
        Q(owning_agency_id=user.agency_id) | _agency_permission_q(user, "view_victim_contact")
    )


def case_list_annotated(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """Adds what the list pages show, in one query whatever the number of rows, and only that (the
    perpetrator's name and the area: operation, SPOC, offender manager and IDVA, which no list shows,
    made PostgreSQL plan My caseload's query in 6-10 ms instead of 0.5). The victims' next
    visit is a subquery per row shown, not a GROUP BY over every visible case: a page of 50 from
    16,000 cases took 0.65 s grouped."""
    next_victim_visit = (
        CaseVictim.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(due=Min("next_visit_due"))
        .values("due")
    )
    return queryset.select_related("perpetrator__person", "area").annotate(
        next_victim_visit_due=Subquery(next_victim_visit)
    )


def caseload_for(user: User) -> QuerySet[Case]:
    """The open cases the user works on (assigned as SPOC, offender manager or IDVA)."""
    if not _may_read(user):
        return Case.objects.none()
    return case_list_annotated(Case.objects.filter(_assigned_q(user)).exclude(status="closed")).order_by(
        "next_perpetrator_visit_due", "reference"
    )


def shared_caseload_for(user: User) -> QuerySet[Case]:
    """The open cases another agency shared with the user's agency (an accepted referral or a meeting's
    sharing), which its caseworkers work on for it, less those already in the user's own caseload.
    Soonest perpetrator visit first, as the caseload."""
    if not _casework(user) or user.agency_id is None:
        return Case.objects.none()
    return (
        Case.objects.filter(pk__in=_agency_grants(user, "view_case").values("content_object_id"))
        .exclude(status="closed")
        .exclude(_assigned_q(user))
        .order_by("next_perpetrator_visit_due", "reference")
    )


def case_get_for(user: User, public_id: uuid.UUID | str) -> Case:
    """The case, if the user sees it, with what its pages show of it. The people who hold it (SPOC,
    offender manager, IDVA, stalking specialists) come in a second query by primary key: joined to the visibility rule's
    query as well, they made PostgreSQL spend 6-7 ms planning it (0.2-0.3 ms to run) at full scale."""
    try:
        case = (
            cases_visible_to(user)
            .select_related("perpetrator__person", "area", "owning_agency", "operation")
            .get(public_id=public_id)
        )
    except (Case.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Case not found.") from exc
    holders = case.holder_ids()
    people = User.objects.in_bulk(list(holders)) if holders else {}
    for name in CASE_HOLDER_FIELDS:
        setattr(case, name, people.get(getattr(case, f"{name}_id")))
    return case


def chronology_for(user: User, case: Case) -> QuerySet[ChronologyEntry]:
    entries = case.chronology.select_related("actor")
    if user.is_perpetrator_side:
        entries = entries.filter(visibility=ChronologyVisibility.ALL)
    return entries


def child_schools_for(user: User, case: Case) -> dict[int, str]:
    """Children's schools on a case, keyed by child id, for a user who may see victims' contact
    details on it (a school says where a child can be found: `case_victim_contact_allowed`)."""
    if not case_victim_contact_allowed(user, case):
        return {}
    return dict(
        CaseChild.objects.filter(case_id=case.pk, child__confidential__isnull=False).values_list(
            "child_id", "child__confidential__school"
        )
    )


def cases_visible_among(user: User, candidates: QuerySet[Case]) -> QuerySet[Case]:
    """Those of a few candidate cases (a search's) that the user sees: the rule of `cases_visible_to`,
    tested row by row on the candidates, so that the cost follows the candidates and not the number of
    cases the user sees (a whole force: 50,000 ids, 0.1-0.4 s to gather and hash). For a short list
    only; the whole-table lists use `cases_visible_to`."""
    if not _may_read(user):
        return Case.objects.none()
    reasons = [
        q for q in (_assigned_q(user), _scope_q(user), _agency_permission_q(user, "view_case")) if q is not _NOTHING
    ]
    if user.role == Role.SUPERVISOR:
        looks = BreakGlassAccess.objects.filter(user=user, case=OuterRef("pk"), expires_at__gt=timezone.now())
        reasons.append(Q(Exists(looks)))
    if not reasons:
        return Case.objects.none()
    visible = reasons[0]
    for reason in reasons[1:]:
        visible |= reason
    return candidates.filter(visible)
