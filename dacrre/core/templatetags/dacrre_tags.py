"""Small presentation helpers shared by every page."""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from dacrre.core.form_tokens import FIELD, form_token_new
from dacrre.core.glossary import BY_SLUG

register = template.Library()

_RISK_TAG_CLASSES = {
    "high": "govuk-tag--red",
    "medium": "govuk-tag--orange",
    "standard": "govuk-tag--green",
    "not_assessed": "govuk-tag--grey",
}


@register.simple_tag
def risk_tag(case: object) -> SafeString:
    level = getattr(case, "risk_level", "not_assessed")
    label = case.get_risk_level_display()  # type: ignore[attr-defined]
    return format_html('<strong class="govuk-tag {}">{}</strong>', _RISK_TAG_CLASSES.get(level, ""), label)


@register.simple_tag
def due_date(value: datetime.date | None) -> SafeString:
    """A due date with a visible, colour-independent 'Overdue' or 'Due soon' label."""
    if value is None:
        return mark_safe('<span class="govuk-hint govuk-!-margin-0">Not set</span>')  # noqa: S308 - constant
    today = timezone.localdate()
    text = value.strftime("%-d %b %Y")
    if value < today:
        return format_html('{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>', text)
    if value <= today + datetime.timedelta(days=7):
        return format_html('{} <strong class="govuk-tag govuk-tag--yellow">Due soon</strong>', text)
    return format_html("{}", text)


@register.filter
def earliest(first: datetime.date | None, second: datetime.date | None) -> datetime.date | None:
    dates = [d for d in (first, second) if d is not None]
    return min(dates) if dates else None


@register.filter
def get_item(mapping: dict | None, key: str) -> object:
    return mapping.get(key) if mapping else None


@register.simple_tag
def form_token() -> SafeString:
    """A form's one-time token (dacrre.core.form_tokens): a new one for every form on every page."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, form_token_new())


@register.simple_tag(takes_context=True)
def page_link(context: template.Context, number: int) -> str:
    """This page's address for another page number, keeping every other parameter (search, filters)."""
    query = context["request"].GET.copy()
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.filter
def reveal_template(reveal: str, value: object) -> str:
    """For radios with conditional reveals (includes/field_radios.html): `reveal` is
    "answer=template answer=template"; the template to show under `value`, or ""."""
    for pair in (reveal or "").split():
        answer, _, template_name = pair.partition("=")
        if answer == str(value):
            return template_name
    return ""


@register.simple_tag
def term_short(slug: str) -> str:
    """A glossary term's one-line meaning (dacrre.core.glossary), for the hint where it first appears."""
    return BY_SLUG[slug].short
