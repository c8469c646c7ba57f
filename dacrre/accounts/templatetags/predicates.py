"""The predicates (dacrre/accounts/predicates.py) in templates, by name:

{% load predicates %}
{% if user|can:"incidents.import" %} ... {% endif %}          (predicates of the user alone)
{% can "referrals.withdraw" referral as may_withdraw %}        (predicates of a record)
"""

from typing import Any

from django import template

from dacrre.accounts.predicates import can as can_do

register = template.Library()


@register.filter(name="can")
def can_filter(user: Any, name: str) -> bool:
    return can_do(user, name)


@register.simple_tag(takes_context=True, name="can")
def can_tag(context: template.Context, name: str, *obj: Any) -> bool:
    return can_do(context.get("user"), name, *obj)
