"""My tasks in the permission matrix. Every signed-in user has a task page (their own tasks, perhaps
none); a task can be dismissed only by whoever owes it and their supervisor: anyone else gets 404."""

from django.utils import timezone

from reminders.models import Reminder, ReminderKind
from tests.permissions.test_matrix import ACTORS, FORCE_SUPERVISORS


def entries(world) -> dict:
    reminder = Reminder.objects.filter(case=world.case).first() or Reminder.objects.create(
        kind=ReminderKind.PERPETRATOR_VISIT_DUE,
        case=world.case,
        subject_key="perpetrator",
        due_on=timezone.localdate(),
        assignee=world.case.spoc,
    )
    owes = {"assigned_officer", "area_supervisor", "force_inspector"}  # the holder and their supervisors
    return {
        "reminders:my_tasks": ("get", [], dict.fromkeys(ACTORS, 200)),
        "reminders:dismiss": ("get", [reminder.public_id], {a: 200 if a in owes else 404 for a in ACTORS}),
        # The lead force's supervisors set cadences; another force's supervisor does not find the operation.
        "cases:operation_cadences": (
            "get",
            [world.case.operation.public_id],
            {a: 200 if a in FORCE_SUPERVISORS else 404 if a == "other_force_inspector" else 403 for a in ACTORS},
        ),
    }
