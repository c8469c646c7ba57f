"""E-mail about reminders: at once for high-risk cases, and a daily digest per person.

No victim-confidential data and no names leave in an e-mail: only the kind of task, the case
reference, the due date and a link (which needs a sign-in with a second factor to open).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from dacrre.accounts.models import CASEWORK_ROLES, Role, Scope, User

from .models import ESCALATE_AFTER, DigestSent, Reminder, ReminderKind, ReminderStatus


@dataclass(frozen=True)
class TaskLine:
    kind: str
    case_reference: str
    due_on: datetime.date
    owner_agency_id: int
    area_id: int

    def text(self, today: datetime.date) -> str:
        label = ReminderKind(self.kind).label
        late = f", {(today - self.due_on).days} days overdue" if self.due_on < today else ""
        return f"- {label}: case {self.case_reference}, due {self.due_on:%d %b %Y}{late}"


def _link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _supervisors_of(users: list[User], owning_agency_id: int, area_id: int) -> list[User]:
    return [
        u
        for u in users
        if u.role == Role.SUPERVISOR
        and u.agency_id == owning_agency_id
        and (u.scope == Scope.AGENCY or (u.scope == Scope.AREA and u.area_id == area_id))
    ]


def notify_high_risk() -> int:
    """Send one e-mail per new high-risk reminder to whoever owes the work; returns e-mails sent.
    The rows are claimed and marked in the same transaction as the sending, so a failure sends
    them again next time rather than never, and two workers never both claim one row."""
    sent = 0
    with transaction.atomic():
        claimed = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=ReminderStatus.OPEN, high_risk=True, notified_at__isnull=True)
            .select_related("case", "assignee")
        )
        if not claimed:
            return 0
        agency_ids = {r.agency_id or r.case.owning_agency_id for r in claimed if not r.assignee_id}
        supervisors = list(User.objects.filter(agency_id__in=agency_ids, is_active=True, role=Role.SUPERVISOR))
        for reminder in claimed:
            if reminder.assignee:
                recipients = [reminder.assignee]
            elif reminder.agency_id:
                recipients = [u for u in supervisors if u.agency_id == reminder.agency_id]
            else:
                recipients = _supervisors_of(supervisors, reminder.case.owning_agency_id, reminder.case.area_id)
            addresses = [u.email for u in recipients if u and u.email and u.is_active]
            if addresses:
                send_mail(
                    f"High risk: {reminder.get_kind_display()} ({reminder.case.reference})",
                    f"A task on a high-risk case needs you.\n\n{reminder.get_kind_display()}: case "
                    f"{reminder.case.reference}, due {reminder.due_on:%d %b %Y}.\n\n"
                    f"Your tasks: {_link(reverse('reminders:my_tasks'))}\n",
                    None,
                    addresses,
                )
                sent += 1
        Reminder.objects.filter(pk__in=[r.pk for r in claimed]).update(notified_at=timezone.now())
    return sent


def send_digests(*, today: datetime.date | None = None) -> int:  # noqa: C901
    """One e-mail per person with open tasks (and, for supervisors, their team's tasks overdue more
    than three days). At most one per person per day, however often this runs."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=7)
    rows = Reminder.objects.filter(status=ReminderStatus.OPEN, due_on__lte=horizon).values_list(
        "kind", "case__reference", "due_on", "case__owning_agency_id", "case__area_id", "assignee_id", "agency_id"
    )
    mine: dict[int, list[TaskLine]] = defaultdict(list)
    teams: dict[int, list[TaskLine]] = defaultdict(list)
    unassigned: list[TaskLine] = []  # nobody on the case can do it: the case's supervisors'
    escalated: list[TaskLine] = []
    for kind, reference, due_on, owner, area, assignee_id, agency_id in rows:
        line = TaskLine(kind, reference, due_on, owner, area)
        if assignee_id:
            mine[assignee_id].append(line)
        elif agency_id:
            teams[agency_id].append(line)
        else:
            unassigned.append(line)
        if due_on < today - ESCALATE_AFTER:
            escalated.append(line)
    users = list(
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(pk__in=list(mine)) | Q(agency_id__in=list(teams), role__in=CASEWORK_ROLES) | Q(role=Role.SUPERVISOR))
    )
    already = set(DigestSent.objects.filter(day=today).values_list("user_id", flat=True))
    sent = 0
    for user in users:
        if user.pk in already:
            continue
        own = sorted(mine.get(user.pk, []) + teams.get(user.agency_id or 0, []), key=lambda t: t.due_on)
        late = sorted(
            (t for t in escalated if user in _supervisors_of([user], t.owner_agency_id, t.area_id)),
            key=lambda t: t.due_on,
        )
        nobodys = sorted(
            (t for t in unassigned if user in _supervisors_of([user], t.owner_agency_id, t.area_id)),
            key=lambda t: t.due_on,
        )
        if not own and not late and not nobodys:
            continue
        body = [f"Your tasks on {today:%A %d %B %Y}:", ""]
        body += [t.text(today) for t in own] or ["- none"]
        if nobodys:
            body += ["", "Not assigned: nobody on the case can do these (reallocate the case):"]
            body += [t.text(today) for t in nobodys]
        if late:
            body += ["", "Overdue by more than 3 days in your team:", *[t.text(today) for t in late]]
        body += ["", f"Open your tasks: {_link(reverse('reminders:my_tasks'))}"]
        with transaction.atomic():
            _, created = DigestSent.objects.get_or_create(user=user, day=today)
            if created:
                send_mail(f"Your dacrre tasks: {len(own)} open", "\n".join(body), None, [user.email])
                sent += 1
    return sent
