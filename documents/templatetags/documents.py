"""The documents section of a record's page: `{% documents_section "visit" visit %}` lists the
documents attached to the record that the user may see, with a link to add one where they may.
The page has fetched the record through its own selector (so the user sees it)."""

from typing import Any

from django import template

from documents.rules import can_add_document
from documents.selectors import documents_on, target_of

register = template.Library()


@register.inclusion_tag("documents/_section.html", takes_context=True)
def documents_section(context: dict[str, Any], kind: str, record: object) -> dict[str, Any]:
    user = context["request"].user
    target = target_of(user, kind, record)
    return {
        "rows": [(document, "") for document in documents_on(user, target)],
        "can_add": can_add_document(user, target.kind, target.record, target.case),
        "kind": kind,
        "record": record,
    }
