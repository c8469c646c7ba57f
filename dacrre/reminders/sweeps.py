"""Raising reminders: one INSERT ... SELECT per kind, nothing looped over in Python.

Each kind is a queryset of what is due (see KINDS). The sweep inserts its rows straight from the
query and lets the database refuse the ones that exist already (ON CONFLICT DO NOTHING on the
unique (kind, case, subject, due date)), so a sweep can run twice, two beats can run it at once,
and after an outage it catches up on everything missed: it asks "what is due by the horizon?", not
"what became due since the last run?".
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BigIntegerField, BooleanField, CharField, F, QuerySet, Value, When
from django.db.models import Case as Conditional
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from cases.models import Case, CaseStatus, CaseVictim, RiskLevel
from disclosures.models import DECISION_TARGET_DAYS, DisclosureApplication
from meetings.models import ActionStatus, MeetingAction
from orders.models import ProtectiveOrder
from referrals.models import Referral, ReferralStatus
from safety_plans.models import SafetyPlan

from .models import Reminder, ReminderKind, ReminderStatus

# Reminders appear this many days before the work is due.
LEAD_DAYS = 3
COLUMNS = ["r_case", "r_subject", "r_due", "r_assignee", "r_agency", "r_high"]


def _high(prefix: str = "") -> Conditional:
    return Conditional(
        When(**{f"{prefix}risk_level": RiskLevel.HIGH}, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def _key(prefix: str, field: str) -> Concat:
    return Concat(Value(prefix), Cast(field, CharField()), output_field=CharField())


# A typed NULL: an untyped one is text to PostgreSQL inside a subquery.
NO_ONE = Cast(Value(None), BigIntegerField())


def _rows(queryset: QuerySet, **columns: object) -> QuerySet:
    return queryset.annotate(**columns).values_list(*COLUMNS)


def perpetrator_visits(today: datetime.date) -> QuerySet:
    return _rows(
        Case.objects.exclude(status=CaseStatus.CLOSED).filter(
            next_perpetrator_visit_due__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ),
        r_case=F("pk"),
        r_subject=Value("perpetrator", output_field=CharField()),
        r_due=F("next_perpetrator_visit_due"),
        r_assignee=Coalesce("offender_manager_id", "spoc_id"),
        r_agency=NO_ONE,
        r_high=_high(),
    )


def victim_visits(today: datetime.date) -> QuerySet:
    return _rows(
        CaseVictim.objects.exclude(case__status=CaseStatus.CLOSED).filter(
            next_visit_due__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ),
        r_case=F("case_id"),
        r_subject=_key("victim:", "victim_id"),
        r_due=F("next_visit_due"),
        r_assignee=F("case__spoc_id"),
        r_agency=NO_ONE,
        r_high=_high("case__"),
    )


def risk_reviews(today: datetime.date) -> QuerySet:
    return _rows(
        Case.objects.exclude(status=CaseStatus.CLOSED).filter(
            risk_review_due__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ),
        r_case=F("pk"),
        r_subject=Value("risk_review", output_field=CharField()),
        r_due=F("risk_review_due"),
        r_assignee=Coalesce("idva_id", "spoc_id"),
        r_agency=NO_ONE,
        r_high=_high(),
    )


def safety_plan_reviews(today: datetime.date) -> QuerySet:
    return _rows(
        SafetyPlan.objects.exclude(case__status=CaseStatus.CLOSED).filter(
            review_due__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ),
        r_case=F("case_id"),
        r_subject=_key("plan:", "pk"),
        r_due=F("review_due"),
        r_assignee=Coalesce("case__idva_id", "case__spoc_id"),
        r_agency=NO_ONE,
        r_high=_high("case__"),
    )


def referrals_awaiting_response(today: datetime.date) -> QuerySet:
    return _rows(
        Referral.objects.filter(status=ReferralStatus.SENT, to_agency__isnull=False, response_due_on__lt=today),
        r_case=F("case_id"),
        r_subject=_key("referral:", "pk"),
        r_due=F("response_due_on"),
        r_assignee=NO_ONE,
        r_agency=F("to_agency_id"),
        r_high=_high("case__"),
    )


def _orders_ending(today: datetime.date, within_days: int) -> QuerySet:
    # due_on is the day the order ends; the kind says how far ahead the reminder comes.
    return _rows(
        ProtectiveOrder.objects.exclude(case__status=CaseStatus.CLOSED).filter(
            ends_on__gte=today, ends_on__lte=today + datetime.timedelta(days=within_days)
        ),
        r_case=F("case_id"),
        r_subject=_key("order:", "pk"),
        r_due=F("ends_on"),
        r_assignee=Coalesce("case__offender_manager_id", "case__spoc_id"),
        r_agency=NO_ONE,
        r_high=_high("case__"),
    )


def orders_ending_in_7_days(today: datetime.date) -> QuerySet:
    return _orders_ending(today, 7)


def orders_ending_tomorrow(today: datetime.date) -> QuerySet:
    return _orders_ending(today, 1)


def meeting_actions(today: datetime.date) -> QuerySet:
    return _rows(
        MeetingAction.objects.filter(
            status=ActionStatus.OPEN, due_on__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ).exclude(agenda_item__case__status=CaseStatus.CLOSED),
        r_case=F("agenda_item__case_id"),
        r_subject=_key("action:", "pk"),
        r_due=F("due_on"),
        r_assignee=NO_ONE,
        r_agency=F("assigned_agency_id"),
        r_high=_high("agenda_item__case__"),
    )


def disclosure_decisions(today: datetime.date) -> QuerySet:
    # Due 28 days after receipt. Stated as "received on or before" so that no date arithmetic
    # differs between PostgreSQL and SQLite; the due date is added in the INSERT (see _date_plus).
    received_by = today + datetime.timedelta(days=LEAD_DAYS) - datetime.timedelta(days=DECISION_TARGET_DAYS)
    return _rows(
        DisclosureApplication.objects.filter(decided_on__isnull=True, received_on__lte=received_by).exclude(
            case__status=CaseStatus.CLOSED
        ),
        r_case=F("case_id"),
        r_subject=_key("disclosure:", "pk"),
        r_due=F("received_on"),
        r_assignee=F("case__spoc_id"),
        r_agency=NO_ONE,
        r_high=_high("case__"),
    )


@dataclass(frozen=True)
class Sweep:
    kind: ReminderKind
    due: Callable[[datetime.date], QuerySet]
    due_offset_days: int = 0  # added to the selected date to give the due date


KINDS = [
    Sweep(ReminderKind.PERPETRATOR_VISIT_DUE, perpetrator_visits),
    Sweep(ReminderKind.VICTIM_VISIT_DUE, victim_visits),
    Sweep(ReminderKind.RISK_REVIEW_DUE, risk_reviews),
    Sweep(ReminderKind.SAFETY_PLAN_REVIEW_DUE, safety_plan_reviews),
    Sweep(ReminderKind.REFERRAL_RESPONSE_OVERDUE, referrals_awaiting_response),
    Sweep(ReminderKind.ORDER_ENDS_IN_7_DAYS, orders_ending_in_7_days),
    Sweep(ReminderKind.ORDER_ENDS_TOMORROW, orders_ending_tomorrow),
    Sweep(ReminderKind.MEETING_ACTION_DUE, meeting_actions),
    Sweep(ReminderKind.DISCLOSURE_DECISION_DUE, disclosure_decisions, DECISION_TARGET_DAYS),
]


def _new_uuid_sql() -> str:
    if connection.vendor == "postgresql":
        return "gen_random_uuid()"
    return "lower(hex(randomblob(16)))"  # Django stores UUIDs on SQLite as 32 hex characters


def _date_plus(column: str, days: int) -> str:
    if not days:
        return column
    if connection.vendor == "postgresql":
        return f"({column} + {int(days)})"
    return f"date({column}, '+{int(days)} days')"


def _insert(sweep: Sweep, today: datetime.date, now: datetime.datetime) -> int:
    select, params = sweep.due(today).query.sql_with_params()
    table = Reminder._meta.db_table
    due = _date_plus("q.r_due", sweep.due_offset_days)
    # Table and column names are the model's; every value is a parameter. NOT EXISTS skips what is
    # already raised (an anti-join, far cheaper than attempting and refusing each insert); ON
    # CONFLICT still refuses a row a concurrent sweep inserted in the meantime.
    sql = (
        f"INSERT INTO {table} (public_id, kind, case_id, subject_key, due_on, assignee_id, agency_id,"  # noqa: S608
        " high_risk, status, dismissed_reason, created_at)"
        f" SELECT {_new_uuid_sql()}, %s, q.r_case, q.r_subject, {due}, q.r_assignee, q.r_agency, q.r_high,"
        f" %s, '', %s FROM ({select}) AS q"
        f" WHERE NOT EXISTS (SELECT 1 FROM {table} r WHERE r.kind = %s AND r.case_id = q.r_case"
        f" AND r.subject_key = q.r_subject AND r.due_on = {due})"
        " ON CONFLICT DO NOTHING"
    )
    now_param = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(sql, [sweep.kind.value, ReminderStatus.OPEN.value, now_param, *params, sweep.kind.value])
        return max(cursor.rowcount, 0)


def reminders_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """Raise every kind of reminder due by the horizon. Returns the rows inserted per kind.
    Each kind commits on its own, so one failing kind does not hold back the others' reminders."""
    today = today or timezone.localdate()
    now = timezone.now()
    inserted = {}
    for sweep in KINDS:
        with transaction.atomic():
            inserted[sweep.kind.value] = _insert(sweep, today, now)
    return inserted
