"""The whole report: the performance report's counts, the accountability measures, and the sections
other apps contribute, for one period against the same period last year. The report page and the
accountability pack (printable page and Excel workbook) show the same sections."""

import datetime
import io
from collections.abc import Sequence
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

from dacrre.accounts.models import Agency
from dacrre.audit.exports import XLSX
from dacrre.core.csv_export import spreadsheet_safe

from .accountability import Scope, accountability_sections
from .selectors import Period, Section, performance_report


def report_sections(
    *, agency: Agency, period: Period, area_id: int | None, operation_id: int | None, today: datetime.date
) -> list[Section]:
    scope = Scope(agency=agency, period=period, area_id=area_id, operation_id=operation_id)
    return [
        *performance_report(agency=agency, period=period, area_id=area_id, operation_id=operation_id),
        *accountability_sections(scope, today=today),
    ]


def _cell(value: object) -> object:
    return value if isinstance(value, int | float) else spreadsheet_safe(value)


def _number(value: object) -> object:
    return float(value) if isinstance(value, Decimal) else value


def _figures(row: object) -> list[object]:
    """Figures stay numbers in the spreadsheet (% change too, blank without a base); a rate with its
    count and base is written as shown ("33.3% (1 of 3)")."""
    this, last, difference = (getattr(row, name) for name in ("this", "last", "difference"))
    if not getattr(row, "is_rate", False) and all(isinstance(v, int | Decimal) for v in (this, last, difference)):
        change = getattr(row, "percent_change", None)
        return [_number(this), _number(last), _number(difference), float(change) if change is not None else ""]
    return [_cell(getattr(row, name)) for name in ("this_shown", "last_shown", "difference_shown", "change_shown")]


def export_rows(sections: Sequence[Section]) -> list[Sequence[object]]:
    """One row per measure, as the page shows it (rates with their count and base)."""
    return [[section.title, row.label, *_figures(row)] for section in sections for row in section.rows]


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:28] or "Sheet"
    name, number = cleaned, 2
    while name in used:
        name = f"{cleaned[:26]} {number}"
        number += 1
    used.add(name)
    return name


def pack_workbook(*, filename: str, about: Sequence[Sequence[str]], sections: Sequence[Section]) -> HttpResponse:
    """The pack as a workbook: an 'About' sheet (period, area, how to read it), then one sheet per
    table with its own header row, figures as the page shows them."""
    book = Workbook(write_only=True)
    used: set[str] = set()
    sheet = book.create_sheet(_sheet_title("About", used))
    for line in about:
        sheet.append([_cell(value) for value in line])
    for section in sections:
        sheet = book.create_sheet(_sheet_title(section.title, used))
        sheet.append([_cell(section.title)])
        if section.note:
            sheet.append([_cell(section.note)])
        sheet.append(["Measure", *section.columns])
        for row in section.rows:
            sheet.append([_cell(row.label), *_figures(row)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
