"""The team caseload: per officer and IDVA, what they hold and what is late. One query."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import CASE_HOLDER_FIELDS, Case, CaseStatus, RiskLevel
from cases.selectors import cases_held_q, cases_in_scope_of
from dacrre.accounts.models import CASEWORK_ROLES, Role, Scope, User
from meetings.models import ActionStatus, MeetingAction
from orders.models import ProtectiveOrder
from referrals.models import Referral, ReferralStatus
from reminders.models import Reminder, ReminderKind, ReminderStatus
from risk.models import RiskAssessment

VISIT_KINDS = [ReminderKind.PERPETRATOR_VISIT_DUE, ReminderKind.VICTIM_VISIT_DUE]
REVIEW_KINDS = [ReminderKind.RISK_REVIEW_DUE, ReminderKind.SAFETY_PLAN_REVIEW_DUE]
SORTS = {
    "name": ["last_name", "first_name"],
    "open": ["-open_cases", "last_name"],
    "high": ["-high_risk_cases", "last_name"],
    "visits": ["-overdue_visits", "last_name"],
    "reviews": ["-overdue_reviews", "last_name"],
    "referrals": ["-referrals_awaiting", "last_name"],
}


def team_of(supervisor: User) -> QuerySet[User]:
    """The people a supervisor oversees: their agency (or area, for area scope), active holders."""
    if supervisor.role != Role.SUPERVISOR or supervisor.agency_id is None:
        return User.objects.none()
    team = User.objects.filter(agency_id=supervisor.agency_id, is_active=True, role__in=CASEWORK_ROLES)
    if supervisor.scope != Scope.AGENCY:
        team = team.filter(area=supervisor.area)
    return team


def _count(queryset: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(queryset.order_by().values("_group").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def _open_cases(supervisor: User, *, operation_id: int | None, risk_level: str | None) -> QuerySet[Case]:
    cases = cases_in_scope_of(supervisor).exclude(status=CaseStatus.CLOSED)
    if operation_id is not None:
        cases = cases.filter(operation_id=operation_id)
    if risk_level:
        cases = cases.filter(risk_level=risk_level)
    return cases


def team_caseload(
    supervisor: User,
    *,
    area_id: int | None = None,
    operation_id: int | None = None,
    risk_level: str | None = None,
    sort: str = "name",
) -> QuerySet[User]:
    """Each team member annotated with open_cases, high_risk_cases, overdue_visits, overdue_reviews
    and referrals_awaiting, counted over the supervisor's cases (optionally one operation or risk)."""
    today = timezone.localdate()
    cases = _open_cases(supervisor, operation_id=operation_id, risk_level=risk_level)
    held = cases_held_q(OuterRef("pk"))
    # The scope as a set to test membership in, not a condition to AND with each person's cases: ANDed,
    # PostgreSQL intersected every person's few cases with the whole area's index (0.17 s for a team).
    holding = Case.objects.filter(held, pk__in=cases.values("pk")).annotate(_group=Value(1))
    overdue = Reminder.objects.filter(
        assignee_id=OuterRef("pk"), status=ReminderStatus.OPEN, due_on__lt=today, case__in=cases.values("pk")
    ).annotate(_group=Value(1))
    awaiting = Referral.objects.filter(
        created_by_id=OuterRef("pk"), status=ReferralStatus.SENT, case__in=cases.values("pk")
    ).annotate(_group=Value(1))
    team = team_of(supervisor)
    if area_id is not None:
        team = team.filter(area_id=area_id)
    return team.annotate(
        open_cases=_count(holding),
        high_risk_cases=_count(holding.filter(risk_level=RiskLevel.HIGH)),
        overdue_visits=_count(overdue.filter(kind__in=VISIT_KINDS)),
        overdue_reviews=_count(overdue.filter(kind__in=REVIEW_KINDS)),
        referrals_awaiting=_count(awaiting),
    ).order_by(*SORTS.get(sort, SORTS["name"]))


def cases_held_by(supervisor: User, holder: User) -> QuerySet[Case]:
    return (
        cases_in_scope_of(supervisor)
        .exclude(status=CaseStatus.CLOSED)
        .filter(cases_held_q(holder.pk))
        .select_related("perpetrator__person", "area", *CASE_HOLDER_FIELDS)
        .order_by("reference")
    )


def team_unassigned(
    supervisor: User, *, area_id: int | None = None, operation_id: int | None = None, risk_level: str | None = None
) -> dict[str, int]:
    """Overdue visits and reviews that nobody on the case can do (no officer of the force, no IDVA):
    the supervisors' own, counted beside the team's so that none is missing from the totals."""
    cases = _open_cases(supervisor, operation_id=operation_id, risk_level=risk_level)
    if area_id is not None:
        cases = cases.filter(area_id=area_id)
    overdue = Q(due_on__lt=timezone.localdate())
    return Reminder.objects.filter(
        assignee__isnull=True, agency__isnull=True, status=ReminderStatus.OPEN, case__in=cases.values("pk")
    ).aggregate(
        overdue_visits=Count("pk", filter=overdue & Q(kind__in=VISIT_KINDS)),
        overdue_reviews=Count("pk", filter=overdue & Q(kind__in=REVIEW_KINDS)),
    )


@dataclass
class ClosureChecks:
    """What a supervisor weighs before approving a closure, each a warning when present."""

    last_dash: Any = None  # the latest risk assessment, or None: warned (never assessed)
    open_actions: list = field(default_factory=list)  # MARAC or panel actions still open
    orders_in_force: list = field(default_factory=list)  # orders and bail conditions not yet ended
    open_tasks: list = field(default_factory=list)
    outstanding_referrals: list = field(default_factory=list)


def closure_checks_for(case_ids: Iterable[int]) -> dict[int, ClosureChecks]:
    """For each case, in five queries whatever the number of cases."""
    ids = list(case_ids)
    checks = {pk: ClosureChecks() for pk in ids}
    today = timezone.localdate()
    latest = RiskAssessment.objects.filter(case_id=OuterRef("case_id")).order_by("-assessed_at", "-id").values("pk")[:1]
    for assessment in RiskAssessment.objects.filter(case_id__in=ids, pk=Subquery(latest)):
        checks[assessment.case_id].last_dash = assessment
    actions = MeetingAction.objects.filter(agenda_item__case_id__in=ids, status=ActionStatus.OPEN)
    for action in actions.select_related("assigned_agency", "agenda_item__meeting").order_by("due_on"):
        checks[action.agenda_item.case_id].open_actions.append(action)
    orders = ProtectiveOrder.objects.filter(case_id__in=ids, starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    for order in orders.order_by("ends_on"):
        checks[order.case_id].orders_in_force.append(order)
    tasks = Reminder.objects.filter(case_id__in=ids, status=ReminderStatus.OPEN).select_related("assignee", "agency")
    for task in tasks.order_by("due_on"):
        checks[task.case_id].open_tasks.append(task)
    referrals = Referral.objects.filter(
        case_id__in=ids, status__in=[ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED]
    ).select_related("to_agency")
    for referral in referrals.order_by("pk"):
        checks[referral.case_id].outstanding_referrals.append(referral)
    return checks


RECENTLY_CLOSED_DAYS = 90


def recently_closed_for(supervisor: User, *, limit: int = 20) -> QuerySet[Case]:
    """The cases of the supervisor's team closed in the last 90 days, latest first: one may need
    reopening."""
    since = timezone.now() - datetime.timedelta(days=RECENTLY_CLOSED_DAYS)
    return (
        cases_in_scope_of(supervisor)
        .filter(status=CaseStatus.CLOSED, closed_at__gte=since)
        .select_related("perpetrator__person", "owning_agency")
        .order_by("-closed_at")[:limit]
    )
