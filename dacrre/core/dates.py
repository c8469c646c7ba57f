"""Dates: working days, and what each kind of date may plausibly be.

Every date a user types or a file gives is checked against its `DateBounds`, in the form (so the
message shows on the field) and again in the service that stores it (so that the API, a crafted
POST or a script cannot pass a date the form refuses). The bounds of every kind of date are here, in
one place, chosen by what the date means.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .exceptions import ApplicationError


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days (Monday to Friday) after `start`. Bank holidays are not counted
    out: a referral due on one shows as due that day, which errs on the side of the victim."""
    current = start
    remaining = days
    while remaining > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (or earlier, if negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def uk_date(day: datetime.date) -> str:
    """As people type it on the forms: 27/3/2026."""
    return f"{day.day}/{day.month}/{day.year}"


@dataclass(frozen=True)
class DateBounds:
    """The plausible range of one kind of date: from `years_back` years before today (or a fixed
    `since` date) to `years_ahead` years after today (0: today at the latest)."""

    what: str  # as it reads in a sentence: "the date of the visit"
    years_back: int | None = None
    since: datetime.date | None = None
    years_ahead: int = 0

    def __post_init__(self) -> None:
        if (self.years_back is None) == (self.since is None):
            raise ValueError("Give either years_back or since")

    def earliest(self, today: datetime.date) -> datetime.date:
        if self.since is not None:
            return self.since
        assert self.years_back is not None  # noqa: S101 - checked in __post_init__
        return add_years(today, -self.years_back)

    def latest(self, today: datetime.date) -> datetime.date:
        return add_years(today, self.years_ahead)

    def message(self, today: datetime.date | None = None) -> str:
        today = today or timezone.localdate()
        earliest, latest = self.earliest(today), self.latest(today)
        first = "today" if earliest == today else uk_date(earliest)
        last = "today" if latest == today else uk_date(latest)
        what = self.what[0].upper() + self.what[1:]
        return f"{what} must be between {first} and {last}"

    def problem(self, value: datetime.date | datetime.datetime, *, today: datetime.date | None = None) -> str | None:
        """The message to show when `value` is outside the bounds; None when it is plausible."""
        today = today or timezone.localdate()
        day = timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value
        if self.earliest(today) <= day <= self.latest(today):
            return None
        return self.message(today)

    def check(self, value: datetime.date | datetime.datetime | None, *, field: str | None = None) -> None:
        """For services: refuse an implausible date with the same message the form shows."""
        if value is None:
            return
        problem = self.problem(value)
        if problem is not None:
            raise ApplicationError(problem, field=field)


# The bounds of every date in the app, by meaning. Forms use them through `uk_date_field`, services
# through `.check(...)`, the incident import through `.problem(...)`.
EARLIEST_RECORDS = datetime.date(2000, 1, 1)  # nothing the app reports on or searches is older

VISIT_OCCURRED = DateBounds("the date of the visit", years_back=1)
VISIT_PLANNED = DateBounds("the date of the planned visit", years_back=0, years_ahead=1)
VISIT_NEXT_DUE = DateBounds("the next visit date", years_back=0, years_ahead=1)
ORDER_STARTS = DateBounds("the start date", years_back=20, years_ahead=1)
ORDER_ENDS = DateBounds("the end date", years_back=20, years_ahead=20)
ORDER_BREACH = DateBounds("the date of the breach", years_back=20)
DISCLOSURE_RECEIVED = DateBounds("the date received", years_back=5)
DISCLOSURE_DECIDED = DateBounds("the date of the decision", years_back=5)
DISCLOSURE_OUTCOME = DateBounds("the date of the disclosure", years_back=5)
PROGRAMME_STARTS = DateBounds("the start date", years_back=5, years_ahead=1)
PROGRAMME_ENDS = DateBounds("the end date", years_back=5, years_ahead=5)
INTERVENTION_OCCURRED = DateBounds("the date of the intervention", years_back=2)
MEETING_HELD = DateBounds("the date of the meeting", years_back=2, years_ahead=1)
MEETING_ACTION_DUE = DateBounds("the due date", years_back=2, years_ahead=1)
SAFETY_MEASURE_DUE = DateBounds("the date of the measure", years_back=5, years_ahead=2)
SCHOOL_NOTIFIED = DateBounds("the date the school was told", years_back=1)
NOTE_OCCURRED = DateBounds("the date of the contact", years_back=1)
MARAC_REFERRED = DateBounds("the date of the MARAC referral", years_back=1)
OPERATION_STARTS = DateBounds("the start date of the operation", since=EARLIEST_RECORDS, years_ahead=2)
OPERATION_ENDS = DateBounds("the end date of the operation", since=EARLIEST_RECORDS, years_ahead=10)
TASKING_MONTH = DateBounds("the month of the tasking list", years_back=1, years_ahead=1)
REPORT_STARTS = DateBounds("the start date", since=EARLIEST_RECORDS, years_ahead=1)
REPORT_ENDS = DateBounds("the end date", since=EARLIEST_RECORDS, years_ahead=1)
AUDIT_FROM = DateBounds("the 'from' date", since=EARLIEST_RECORDS, years_ahead=1)
AUDIT_TO = DateBounds("the 'to' date", since=EARLIEST_RECORDS, years_ahead=1)
INCIDENT_OCCURRED = DateBounds("the incident date", since=datetime.date(1970, 1, 1))
DATE_OF_BIRTH = DateBounds("the date of birth", years_back=110)
# A retained case's next review: the service narrows it to RETENTION_RETAIN_MAX_MONTHS (records.schedule).
RETENTION_NEXT_REVIEW = DateBounds("the next review date", years_back=0, years_ahead=100)
# For a date field no rule above fits: wide, but still refuses 01/01/0001 and 31/12/9999.
ANY_DATE = DateBounds("the date", since=EARLIEST_RECORDS, years_ahead=10)
EQUIPMENT_BOUGHT = DateBounds("the date bought", years_back=10)
EQUIPMENT_ISSUED = DateBounds("the date", years_back=5)
# A step in a crime's investigation (arrest, charge, court...); the service also refuses one before the crime.
JUSTICE_STEP = DateBounds("the date", years_back=10)
VICTIM_UPDATE_GIVEN = DateBounds("the date of the update", years_back=1)
SURVEY_TAKEN = DateBounds("the date of the survey", years_back=1)
TASKED_ON = DateBounds("the date of the tasking", years_back=0, years_ahead=0)
