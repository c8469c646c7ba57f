"""Template tags for pages of other apps that show the signed-in person's tasks (the caseload)."""

from collections.abc import Iterable

from django import template

from cases.models import Case

from ..selectors import task_counts_by_case

register = template.Library()


@register.simple_tag(takes_context=True)
def my_task_counts(context: template.Context, cases: Iterable[Case]) -> dict[int, dict[str, int]]:
    """Per case shown, the signed-in person's open tasks and how many are overdue: one query."""
    user = context["request"].user
    return task_counts_by_case(user, [case.pk for case in cases])
