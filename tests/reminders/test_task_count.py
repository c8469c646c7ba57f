"""The menu's "My tasks (N)" and the My tasks page count the same thing: seen, "My tasks (5)" beside
a heading of "6 open tasks" (the menu counted what was due, the page everything open)."""

import datetime
import re

import pytest
from django.utils import timezone

from reminders.models import Reminder, ReminderKind, ReminderStatus
from tests.factories import CaseFactory, UserFactory


def _caption_count(page: str, caption: str) -> int:
    match = re.search(rf"{caption} \((\d+)", page)
    assert match, caption
    return int(match.group(1))


@pytest.mark.django_db
def test_the_menu_count_is_the_count_of_the_first_list_on_my_tasks(login) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    today = timezone.localdate()
    for offset in (-9, -2, 0, 0, 1, 30):
        Reminder.objects.create(
            kind=ReminderKind.PERPETRATOR_VISIT_DUE,
            case=case,
            assignee=officer,
            due_on=today + datetime.timedelta(days=offset),
            subject_key=f"visit-{offset}-{Reminder.objects.count()}",
        )
    Reminder.objects.create(
        kind=ReminderKind.PERPETRATOR_VISIT_DUE,
        case=case,
        assignee=officer,
        due_on=today - datetime.timedelta(days=40),
        status=ReminderStatus.DONE,
        subject_key="done",
    )
    page = login(officer).get("/tasks/").content.decode()
    assert "My tasks (4)" in page
    assert _caption_count(page, "Due today or overdue") == 4
    assert _caption_count(page, "Due later") == 2
    assert "open tasks" not in page
