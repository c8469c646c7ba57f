"""Reading a CSV extract of DA incidents: every row checked, every problem reported with its row
number and column, nothing written here. `incidents.services.incident_import` writes a valid file."""

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from dacrre.core import dates
from people.models import Person

from .import_hooks import ImportHook, hook_columns, import_hooks
from .models import Incident, OffenceCategory

COLUMNS = [
    "source_reference",
    "occurred_at",
    "area",
    "offence_category",
    "is_crime",
    "injury",
    "weapon_used",
    "perpetrator_police_id",
    "perpetrator_given_name",
    "perpetrator_family_name",
    "perpetrator_date_of_birth",
    "victim_police_id",
    "victim_given_name",
    "victim_family_name",
    "victim_date_of_birth",
    "summary",
]
REQUIRED = [
    "source_reference",
    "occurred_at",
    "area",
    "offence_category",
    "perpetrator_given_name",
    "perpetrator_family_name",
]
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d", "%d/%m/%Y"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
MAX_ROWS = 200_000
# No cell may be longer than this (the csv module's own default limit, which it enforced with an
# exception). The reader is allowed more, so that a long cell is reported with its row and column.
MAX_CELL = 131_072
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


def _max_length(model: type[Incident] | type[Person], name: str) -> int:
    field = model._meta.get_field(name)
    assert isinstance(field, models.CharField) and field.max_length is not None  # noqa: S101 - a CharField
    return field.max_length


# Columns stored in a column of limited length: the limit is the model field's.
MAX_LENGTHS = {
    "source_reference": _max_length(Incident, "source_reference"),
    **{
        f"{side}_{column}": _max_length(Person, name)
        for side in ("perpetrator", "victim")
        for column, name in (
            ("police_id", "police_identifier"),
            ("given_name", "given_name"),
            ("family_name", "family_name"),
        )
    },
}
NUL_MESSAGE = "This cell holds a NUL character (a zero byte), which is not text: remove it"


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str
    # The file's own value when the message quotes it (as '<value>'), so that it can be taken out of
    # the report when the file is removed (report_without_file_values).
    value: str = ""

    def as_report(self) -> dict[str, object]:
        entry: dict[str, object] = {"row": self.row, "column": self.column, "message": self.message}
        if self.value:
            entry["value"] = self.value
        return entry


@dataclass
class PersonRow:
    police_id: str
    given_name: str
    family_name: str
    date_of_birth: datetime.date | None


@dataclass
class IncidentRow:
    row: int
    source_reference: str
    occurred_at: datetime.datetime
    area: str
    offence_category: str
    is_crime: bool
    injury: bool
    weapon_used: bool
    perpetrator: PersonRow
    victim: PersonRow | None
    summary: str
    # What registered hooks read from their optional columns (incidents.import_hooks), by hook name.
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedFile:
    rows: list[IncidentRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _flag(value: str, row: int, column: str, errors: list[RowError]) -> bool:
    lowered = value.strip().lower()
    if lowered in YES:
        return True
    if lowered not in NO:
        errors.append(RowError(row, column, f"Enter yes or no, not '{value}'", value))
    return False


# The formats extracts almost always use, read without strptime (a third of the parsing time). A
# value these do not read, or read as an impossible date, goes through strptime as before, so the
# same values are accepted, with the same result.
_ISO_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2}) ([0-9]{2}):([0-9]{2})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
OFFENCE_CATEGORIES = frozenset(OffenceCategory.values)


class _Checker:
    """What every row is checked against, worked out once per file: today, now and the time zone
    (asking Django for them on every cell was a third of the parsing time)."""

    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        self.now = timezone.now()
        self.today = timezone.localdate(self.now, self.zone)
        born = dates.DATE_OF_BIRTH
        self.born_range = (born.earliest(self.today), born.latest(self.today))
        self.born_message = born.message(self.today)
        occurred = dates.INCIDENT_OCCURRED
        self.occurred_range = (occurred.earliest(self.today), occurred.latest(self.today))
        self.occurred_message = occurred.message(self.today)

    def local_date(self, moment: datetime.datetime) -> datetime.date:
        return moment.astimezone(self.zone).date()

    def date(self, value: str, row: int, column: str, errors: list[RowError]) -> datetime.date | None:
        text = value.strip()
        if not text:
            return None
        born = None
        if (match := _ISO_DATE.fullmatch(text)) is not None:
            try:
                born = datetime.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                born = None
        for fmt in DATE_FORMATS if born is None else ():
            try:
                born = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date
                break
            except ValueError:
                continue
        if born is None:
            errors.append(RowError(row, column, f"Enter the date as YYYY-MM-DD or DD/MM/YYYY, not '{value}'", value))
            return None
        if not self.born_range[0] <= born <= self.born_range[1]:
            errors.append(RowError(row, column, self.born_message))
        return born

    def moment(self, value: str, row: int, errors: list[RowError]) -> datetime.datetime | None:
        text = value.strip()
        naive = None
        if (match := _ISO_DATETIME.fullmatch(text)) is not None:
            try:
                year, month, day, hour, minute = (int(part) for part in match.groups())
                naive = datetime.datetime(year, month, day, hour, minute)  # noqa: DTZ001 - made aware below
            except ValueError:
                naive = None
        for fmt in DATETIME_FORMATS if naive is None else ():
            try:
                naive = datetime.datetime.strptime(text, fmt)  # noqa: DTZ007 - made aware below
                break
            except ValueError:
                continue
        if naive is None:
            errors.append(
                RowError(row, "occurred_at", f"Enter the date and time as YYYY-MM-DD HH:MM, not '{value}'", value)
            )
            return None
        # In UTC at once: a UK local time in the hour the clocks skip or repeat never compares equal
        # to the stored value, which would make every re-import report the row as changed.
        moment = timezone.make_aware(naive, self.zone).astimezone(datetime.UTC)
        if moment > self.now:
            errors.append(RowError(row, "occurred_at", "The incident date is in the future"))
        elif not self.occurred_range[0] <= self.local_date(moment) <= self.occurred_range[1]:
            errors.append(RowError(row, "occurred_at", self.occurred_message))
        return moment


def _cell_errors(row: int, raw: dict[str | None, object]) -> list[RowError]:
    """What no cell may hold, whatever its column: a NUL character, or more than MAX_CELL characters;
    and no stored value may be longer than its database column."""
    errors = []
    for key, value in raw.items():
        column = key.strip() if key else "(a cell beyond the last column)"
        for cell in value if isinstance(value, list) else [value or ""]:
            assert isinstance(cell, str)  # noqa: S101 - the csv module reads text
            if "\x00" in cell:
                errors.append(RowError(row, column, NUL_MESSAGE))
            if len(cell) > MAX_CELL:
                errors.append(
                    RowError(row, column, f"At most {MAX_CELL:,} characters in a cell (this has {len(cell):,})")
                )
            elif column in MAX_LENGTHS and len(cell.strip()) > MAX_LENGTHS[column]:
                errors.append(
                    RowError(row, column, f"At most {MAX_LENGTHS[column]} characters (this has {len(cell.strip())})")
                )
    return errors


def _cells_fit(raw: dict[str | None, Any], limited: list[tuple[str, int]], *, nul_free: bool, short: bool) -> bool:
    """A quick yes for the usual row, of which _cell_errors would find nothing wrong (it was a fifth
    of the parsing time): no NUL in the file, no cell beyond the last column, no value over its
    column's limit, and no cell over MAX_CELL (none can be, in a `short` file). A no is not an error:
    _cell_errors then looks at each cell."""
    if not nul_free or None in raw:
        return False
    for name, limit in limited:
        value = raw[name]
        if value is not None and len(value) > limit:
            return False
    return short or all(value is None or len(value) <= MAX_CELL for value in raw.values())


def _header_errors(reader: csv.DictReader) -> list[RowError]:
    """The header row: readable as CSV, no cell it cannot hold, every required column named."""
    try:
        fieldnames = reader.fieldnames or []
    except csv.Error as exc:
        return [RowError(1, "", f"The header row cannot be read as CSV ({exc})")]
    errors = _cell_errors(1, {name: name for name in fieldnames})
    header = [name.strip() for name in fieldnames]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        errors.append(RowError(1, ", ".join(missing), "These columns are missing from the header row"))
    return errors


def _numbered_rows(reader: csv.DictReader, errors: list[RowError]) -> Iterator[tuple[int, dict[str | Any, str | Any]]]:
    """Each row after the header with its number in the file (the header is row 1). Stops, with an
    error, at a row the csv module cannot read or past MAX_ROWS rows."""
    index = 1
    rows = iter(reader)
    while True:
        index += 1
        try:
            raw = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(RowError(index, "", f"This row cannot be read as CSV ({exc}); nothing after it was checked"))
            return
        if index - 1 > MAX_ROWS:
            errors.append(RowError(index, "", f"The file has more than {MAX_ROWS:,} rows; split it"))
            return
        yield index, raw


def _value_errors(index: int, values: dict[str, str], *, known_areas: set[str], seen: dict[str, int]) -> list[RowError]:
    """Required values, each incident once in the file, a known area and offence category."""
    errors = [RowError(index, column, "This is required") for column in REQUIRED if not values.get(column)]
    reference = values.get("source_reference", "")
    if reference in seen:
        errors.append(RowError(index, "source_reference", f"Also on row {seen[reference]}: each incident once"))
    elif reference:
        seen[reference] = index
    if values.get("area") and values["area"] not in known_areas:
        errors.append(
            RowError(
                index,
                "area",
                f"Unknown area '{values['area']}'. Use one of: {', '.join(sorted(known_areas))}",
                values["area"],
            )
        )
    category = values.get("offence_category", "")
    if category and category not in OFFENCE_CATEGORIES:
        errors.append(
            RowError(index, "offence_category", f"Unknown category '{category}'. See docs/import.md", category)
        )
    return errors


def _people(
    index: int, values: dict[str, str], occurred: datetime.datetime | None, errors: list[RowError], check: _Checker
) -> tuple[PersonRow, PersonRow | None]:
    """The row's perpetrator, and its victim when the row names one; neither born after the incident."""
    perpetrator = PersonRow(
        values.get("perpetrator_police_id", ""),
        values.get("perpetrator_given_name", ""),
        values.get("perpetrator_family_name", ""),
        check.date(values.get("perpetrator_date_of_birth", ""), index, "perpetrator_date_of_birth", errors),
    )
    victim = None
    if any(values.get(f"victim_{part}") for part in ("police_id", "given_name", "family_name")):
        if not (values.get("victim_given_name") and values.get("victim_family_name")):
            errors.append(RowError(index, "victim_family_name", "Give the victim's given and family names"))
        victim = PersonRow(
            values.get("victim_police_id", ""),
            values.get("victim_given_name", ""),
            values.get("victim_family_name", ""),
            check.date(values.get("victim_date_of_birth", ""), index, "victim_date_of_birth", errors),
        )
    occurred_on = check.local_date(occurred) if occurred else None
    for side, person in (("perpetrator", perpetrator), ("victim", victim)):
        born = person.date_of_birth if person is not None else None
        if born and occurred_on and born <= check.today and born > occurred_on:
            errors.append(RowError(index, f"{side}_date_of_birth", "The date of birth is after the incident date"))
    return perpetrator, victim


def _incident_row(  # noqa: PLR0913 - what a row is checked against
    index: int,
    raw: dict[str | Any, str | Any],
    *,
    known_areas: set[str],
    seen: dict[str, int],
    errors: list[RowError],
    check: _Checker,
    hooks: list[ImportHook],
) -> IncidentRow | None:
    """One row whose cells can all be stored: the incident it records, or None with its errors added."""
    values = {key.strip(): (value or "").strip() for key, value in raw.items() if key}
    errors.extend(_value_errors(index, values, known_areas=known_areas, seen=seen))
    category = values.get("offence_category", "")
    occurred = check.moment(values["occurred_at"], index, errors) if values.get("occurred_at") else None
    flags = {name: _flag(values.get(name, ""), index, name, errors) for name in ("is_crime", "injury", "weapon_used")}
    if not values.get("is_crime"):
        flags["is_crime"] = category != OffenceCategory.NON_CRIME
    perpetrator, victim = _people(index, values, occurred, errors, check)
    extra = {hook.name: hook.parse(index, values, occurred, errors) for hook in hooks}
    if errors:
        return None
    assert occurred is not None  # noqa: S101 - a missing or bad date is an error above
    return IncidentRow(
        index,
        values.get("source_reference", ""),
        occurred,
        values["area"],
        category,
        flags["is_crime"],
        flags["injury"],
        flags["weapon_used"],
        perpetrator,
        victim,
        values.get("summary", ""),
        extra,
    )


def parse_incident_csv(content: str, *, known_areas: set[str]) -> ParsedFile:
    result = ParsedFile()
    reader = csv.DictReader(io.StringIO(content.lstrip("\ufeff")))
    result.errors.extend(_header_errors(reader))
    if result.errors:
        return result
    seen: dict[str, int] = {}
    check, hooks = _Checker(), import_hooks()
    limited = [(name, MAX_LENGTHS[name.strip()]) for name in reader.fieldnames or [] if name.strip() in MAX_LENGTHS]
    nul_free, short = "\x00" not in content, len(content) <= MAX_CELL
    for index, raw in _numbered_rows(reader, result.errors):
        fits = _cells_fit(raw, limited, nul_free=nul_free, short=short)
        errors = [] if fits else _cell_errors(index, raw)
        if errors:
            # A value that cannot be stored is not checked further: fix it first.
            result.errors.extend(errors)
            continue
        row = _incident_row(index, raw, known_areas=known_areas, seen=seen, errors=errors, check=check, hooks=hooks)
        if row is None:
            result.errors.extend(errors)
        else:
            result.rows.append(row)
    return result


# Messages written before errors carried their value: the quoted part is the file's.
_LEGACY_QUOTED = [
    (re.compile(r"^(Enter .+?), not '.*'$", re.DOTALL), r"\1, not {removed}"),
    (
        re.compile(r"^Unknown (area|category) '.*'\. (Use one of: .*|See docs/import\.md)$", re.DOTALL),
        r"Unknown \1 {removed}. \2",
    ),
]
REMOVED_VALUE = "(a value from the file, removed with it)"
REMOVED_COLUMN = "(a column the file named, removed with it)"
_KNOWN_COLUMNS = {*COLUMNS, "", "(a cell beyond the last column)"}


def _error_without_file_values(error: dict[str, object]) -> dict[str, object]:
    message, value, column = str(error.get("message", "")), str(error.get("value", "")), str(error.get("column", ""))
    if value:
        message = message.replace(f"'{value}'", REMOVED_VALUE)
    else:
        for pattern, replacement in _LEGACY_QUOTED:
            message = pattern.sub(replacement.format(removed=REMOVED_VALUE), message)
    if not set(column.split(", ")) <= _KNOWN_COLUMNS | hook_columns():
        # A header cell of the file (a file without a header row names its columns by its first row).
        column = REMOVED_COLUMN
    return {"row": error.get("row"), "column": column, "message": message}


def report_without_file_values(report: dict[str, object]) -> dict[str, object]:
    """The report of a check or import with nothing the file held, for when the file is removed: each
    error keeps its row, its column (unless the file named it) and its message, without the quoted
    value. Counts, incident numbers and the names of changed fields stay."""
    errors = report.get("errors")
    if not isinstance(errors, list):
        return report
    return {**report, "errors": [_error_without_file_values(error) for error in errors if isinstance(error, dict)]}
