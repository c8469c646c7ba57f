"""The predicates of cases/access/rules.py for templates: a page shows a link, a column or a
figure only when the same rule as the target view says yes."""

from django import template

from cases.access import rules
from dacrre.accounts.models import User

register = template.Library()


@register.filter
def can_view_victim_visits(user: User) -> bool:
    return rules.can_view_victim_visits(user)


@register.filter
def can_review_duplicates(user: User) -> bool:
    return rules.can_review_duplicates(user)
