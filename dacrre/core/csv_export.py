"""CSV downloads that are safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

# The download formats of list pages (`?format=...`); dacrre/audit/exports.py answers them.
FORMATS = {"csv", "xlsx"}

# A cell starting with one of these is run as a formula by Excel and LibreOffice.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return response
