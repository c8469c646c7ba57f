"""Downloads of a list a user may see, as CSV or Excel, safe to open in a spreadsheet, and logged.

Pages build their rows from the same selectors as the page itself, so an export never shows more
than the page; victim-confidential fields are not in any list export. A download's reads go to the
database replica when there is one (`ReplicaForDownloadsMiddleware` in dacrre/core/db_router.py)."""

import io
from collections.abc import Iterable, Sequence

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from dacrre.core.csv_export import FORMATS, csv_response, spreadsheet_safe

from .access import Shown, rows_listed
from .models import AccessAction

__all__ = ["FORMATS", "export_response", "xlsx_response"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Export")
    sheet.append(list(header))
    for row in rows:
        # Text that looks like a formula is written as text, never as a formula.
        sheet.append([value if isinstance(value, int | float) else spreadsheet_safe(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(
    request: HttpRequest,
    *,
    fmt: str,
    name: str,
    header: Sequence[str],
    rows: list[Sequence[object]],
    shown: Iterable[Shown] = (),
) -> HttpResponse:
    """The download, logged as an export of `name` with every person its rows name (`shown`)."""
    rows_listed(request, page=name, detail=f"{len(rows)} rows as {fmt}", shown=shown, action=AccessAction.EXPORT)
    filename = f"{name.replace(' ', '-')}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(filename=filename, header=header, rows=rows)
    return csv_response(filename=filename, header=header, rows=rows)
