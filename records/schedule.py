"""The retention schedule: how long each kind of record is kept before it is reviewed (or, for
working files, removed). Set by settings (docs/records.md gives the defaults and their basis in
the police records guidance); shown to reviewers on the review queue."""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from cases.models import Case, RiskLevel


@dataclass(frozen=True)
class ScheduleRow:
    kind: str
    kept: str
    then: str
    setting: str


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (earlier if negative); the 31st becomes the month's last day."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def case_review_months(case: Case) -> int:
    """High risk at closure (a MARAC case, public protection): RETENTION_CASE_HIGH_RISK_REVIEW_MONTHS;
    any other closed case: RETENTION_CASE_REVIEW_MONTHS."""
    if case.risk_level == RiskLevel.HIGH:
        return int(settings.RETENTION_CASE_HIGH_RISK_REVIEW_MONTHS)
    return int(settings.RETENTION_CASE_REVIEW_MONTHS)


def case_rule_label(case: Case) -> str:
    what = "Closed case, high risk at closure" if case.risk_level == RiskLevel.HIGH else "Closed case"
    return f"{what}: reviewed {case_review_months(case)} months after closure"


def case_first_review_on(case: Case) -> datetime.date:
    assert case.closed_at is not None  # noqa: S101 - only closed cases are reviewed
    return add_months(timezone.localdate(case.closed_at), case_review_months(case))


def cutoff_for(months: int, today: datetime.date | None = None) -> datetime.datetime:
    """Cases closed before this moment have reached a review period of `months`."""
    today = today or timezone.localdate()
    day = add_months(today, -months) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def next_review_bounds(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """A retained case is reviewed again from next month to RETENTION_RETAIN_MAX_MONTHS ahead."""
    today = today or timezone.localdate()
    return add_months(today, 1), add_months(today, int(settings.RETENTION_RETAIN_MAX_MONTHS))


def schedule_rows() -> list[ScheduleRow]:
    """Every kind of record and how long it is kept, as shown to reviewers."""
    import_days = settings.IMPORT_CONTENT_RETENTION_DAYS
    failed_days = settings.IMPORT_FAILED_CONTENT_RETENTION_DAYS
    return [
        ScheduleRow(
            "Closed case, high risk at closure (public protection)",
            f"{settings.RETENTION_CASE_HIGH_RISK_REVIEW_MONTHS} months after closure",
            "reviewed: retained with a reason and a next review date, or disposed of",
            "RETENTION_CASE_HIGH_RISK_REVIEW_MONTHS",
        ),
        ScheduleRow(
            "Closed case, other (violent offences)",
            f"{settings.RETENTION_CASE_REVIEW_MONTHS} months after closure",
            "reviewed: retained with a reason and a next review date, or disposed of",
            "RETENTION_CASE_REVIEW_MONTHS",
        ),
        ScheduleRow(
            "Retained case",
            f"until the next review date set, at most {settings.RETENTION_RETAIN_MAX_MONTHS} months ahead",
            "reviewed again",
            "RETENTION_RETAIN_MAX_MONTHS",
        ),
        ScheduleRow(
            "Documents, visits, orders, referrals, assessments and plans of a case",
            "with their case",
            "disposed of with it",
            "",
        ),
        ScheduleRow(
            "People (perpetrators, victims, children)",
            "while any record that is kept names them",
            "disposed of with the last case that names them",
            "",
        ),
        ScheduleRow(
            "Uploaded incident files",
            f"{import_days} days after the import finished; {failed_days} days after a refused or failed run",
            "removed (the job's report stays)",
            "IMPORT_CONTENT_RETENTION_DAYS, IMPORT_FAILED_CONTENT_RETENTION_DAYS",
        ),
        ScheduleRow(
            "Access log",
            f"{settings.ACCESS_LOG_RETENTION_MONTHS} months in the database",
            "archived to a file, then dropped from the database",
            "ACCESS_LOG_RETENTION_MONTHS",
        ),
        ScheduleRow("Disposal records", "for good (no personal data)", "kept", ""),
    ]
