"""Whose tasks are whose: one place for the My tasks page, the team list and the navigation count."""

import datetime
from collections.abc import Collection

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from dacrre.accounts.models import CASEWORK_ROLES, Role, Scope, User

from .models import ESCALATE_AFTER, Reminder, ReminderStatus

# Roles that hold cases and answer for their agency's shared work (referrals to answer, meeting
# actions): the people on a supervisor's team.


def _mine_q(user: User) -> Q:
    q = Q(assignee_id=user.pk)
    if user.agency_id is not None and user.role in CASEWORK_ROLES:
        q |= Q(agency_id=user.agency_id)
    return q


def _team_q(supervisor: User) -> Q:
    if supervisor.role != Role.SUPERVISOR or supervisor.agency_id is None:
        return Q(pk__in=[])
    people = Q(assignee__agency_id=supervisor.agency_id)
    unowned = Q(assignee__isnull=True, agency__isnull=True, case__owning_agency_id=supervisor.agency_id)
    if supervisor.scope != Scope.AGENCY:
        people &= Q(assignee__area_id=supervisor.area_id)
        unowned &= Q(case__area_id=supervisor.area_id)
    # Unowned reminders (a safeguarding concern to review) belong to the case's supervisors.
    return people | Q(agency_id=supervisor.agency_id) | unowned


def tasks_for(user: User) -> QuerySet[Reminder]:
    return (
        Reminder.objects.filter(_mine_q(user), status=ReminderStatus.OPEN)
        .select_related("case", "assignee", "agency")
        .order_by("due_on", "pk")
    )


def team_tasks_for(supervisor: User, *, escalated_only: bool = False) -> QuerySet[Reminder]:
    tasks = Reminder.objects.filter(_team_q(supervisor), status=ReminderStatus.OPEN)
    if escalated_only:
        tasks = tasks.filter(due_on__lt=timezone.localdate() - ESCALATE_AFTER)
    return tasks.select_related("case", "assignee", "agency").order_by("due_on", "pk")


def _due_now(today: datetime.date) -> Q:
    """Due now: due today or earlier. The navigation's count and My tasks' first list are both this."""
    return Q(due_on__lte=today)


def due_tasks(user: User, *, today: datetime.date | None = None) -> QuerySet[Reminder]:
    """The user's open tasks due now: the navigation counts them, My tasks heads its first list with them."""
    today = today or timezone.localdate()
    return Reminder.objects.filter(_mine_q(user), _due_now(today), status=ReminderStatus.OPEN)


def due_task_count(user: User, *, today: datetime.date | None = None) -> int:
    return due_tasks(user, today=today).count()


def tasks_due_now_and_later(
    tasks: QuerySet[Reminder], *, today: datetime.date, limit: int
) -> tuple[list[Reminder], list[Reminder]]:
    """Open tasks split as the navigation counts them: due now (today or earlier), then due later;
    at most `limit` of each (two queries)."""
    return list(tasks.filter(_due_now(today))[:limit]), list(tasks.exclude(_due_now(today))[:limit])


def can_dismiss(user: User, reminder: Reminder) -> bool:
    return Reminder.objects.filter(_mine_q(user) | _team_q(user), pk=reminder.pk).exists()


def task_counts_by_case(user: User, case_ids: Collection[int]) -> dict[int, dict[str, int]]:
    """For the caseload: per case, the user's own open tasks and how many are overdue (one query).
    The same rows as My tasks, so the two pages agree."""
    today = timezone.localdate()
    rows = (
        Reminder.objects.filter(assignee_id=user.pk, status=ReminderStatus.OPEN, case_id__in=list(case_ids))
        .order_by()
        .values("case_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    return {row["case_id"]: {"open": row["open"], "overdue": row["overdue"]} for row in rows}
