"""Several counts in one round trip to the database (the navigation's, on every page)."""

from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet


def counts(querysets: dict[str, QuerySet[Any]]) -> dict[str, int]:
    """The number of rows of each queryset, by name, in one query: SELECT (SELECT count(*) FROM ...),
    (SELECT count(*) FROM ...). Always the rows as they are now: nothing is cached."""
    if not querysets:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for queryset in querysets.values():
        try:
            sql, part_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # .none(), or a filter that can match nothing
            parts.append("0")
            continue
        parts.append(f"(SELECT count(*) FROM ({sql}) counted)")  # noqa: S608 - compiled querysets
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)  # noqa: S608 - compiled querysets
        row = cursor.fetchone()
    return {name: int(value) for name, value in zip(querysets, row, strict=True)}
