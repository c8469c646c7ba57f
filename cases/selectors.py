"""Visibility-aware reads of cases: the one place that decides which cases a user may see.

Superuser status and global model permissions are deliberately ignored here: seeing a case is
decided by assignment and scope, never by being an administrator.
"""

import uuid

from django.db.models import Min, Q, QuerySet

from dacrre.accounts.models import Scope, User
from dacrre.core.exceptions import NotFoundError

from .models import Case, ChronologyEntry, ChronologyVisibility


def _assigned_q(user: User) -> Q:
    return Q(spoc=user) | Q(offender_manager=user) | Q(idva=user)


def _visibility_q(user: User) -> Q:
    condition = _assigned_q(user)
    if user.agency_id is not None:
        if user.scope == Scope.AGENCY:
            condition |= Q(owning_agency_id=user.agency_id)
        elif user.scope == Scope.AREA and user.area_id is not None:
            condition |= Q(owning_agency_id=user.agency_id, area_id=user.area_id)
    return condition


def cases_visible_to(user: User) -> QuerySet[Case]:
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    return Case.objects.filter(_visibility_q(user))


def case_list_annotated(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """Adds what the list pages show, in one query whatever the number of rows."""
    return queryset.select_related(
        "perpetrator__person", "area", "operation", "spoc", "offender_manager", "idva"
    ).annotate(next_victim_visit_due=Min("case_victims__next_visit_due"))


def caseload_for(user: User) -> QuerySet[Case]:
    """The open cases the user works on (assigned as SPOC, offender manager or IDVA)."""
    if not user.is_authenticated or not user.is_active:
        return Case.objects.none()
    return case_list_annotated(Case.objects.filter(_assigned_q(user)).exclude(status="closed")).order_by(
        "next_perpetrator_visit_due", "reference"
    )


def case_get_for(user: User, public_id: uuid.UUID | str) -> Case:
    try:
        return (
            cases_visible_to(user)
            .select_related(
                "perpetrator__person", "area", "owning_agency", "operation", "spoc", "offender_manager", "idva"
            )
            .get(public_id=public_id)
        )
    except (Case.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Case not found.") from exc


def chronology_for(user: User, case: Case) -> QuerySet[ChronologyEntry]:
    entries = case.chronology.select_related("actor")
    if user.is_perpetrator_side:
        entries = entries.filter(visibility=ChronologyVisibility.ALL)
    return entries
