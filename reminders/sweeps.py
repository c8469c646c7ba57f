"""Raising reminders: one INSERT ... SELECT per kind, nothing looped over in Python.

Each kind is a queryset of what is due (see KINDS). The sweep inserts its rows straight from the
query, skipping any due date that already has an open reminder or one dismissed with a reason, and
lets the database refuse a second open one (ON CONFLICT DO NOTHING on the partial unique index of
open reminders), so a sweep can run twice, two beats can run it at once, and after an outage it
catches up on everything missed: it asks "what is due by the horizon?", not "what became due since
the last run?". A reminder closed as done does not stop its due date being raised again: if the
date is due once more (a visit recorded late), the work is owed again.

Every task goes to someone whose role can do it (the `can_*` predicate named on each kind in KINDS):
the holder of the case who may act, else nobody, and work held by nobody is the case's supervisors'
(their team list, their digest, the high-risk e-mail). Each sweep also moves open reminders whose
holder can no longer act (a case reallocated, a person left) to whoever can now.
"""

import datetime
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import BigIntegerField, BooleanField, CharField, Expression, F, Q, QuerySet, Value, When
from django.db.models import Case as Conditional
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from cases.models import Case, CaseStatus, CaseVictim, RiskLevel
from dacrre.accounts.models import AgencySide, Role
from disclosures.models import DECISION_TARGET_DAYS, DisclosureApplication
from meetings.models import ActionStatus, MeetingAction
from orders.models import ProtectiveOrder
from referrals.models import Referral, ReferralStatus
from safety_plans.models import SafetyPlan

from .models import Reminder, ReminderKind, ReminderStatus

logger = logging.getLogger(__name__)

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
    return queryset.annotate(**columns).order_by().values_list(*COLUMNS)  # the models' ordering is no use here


# Who may do the work, stated as conditions on a case's holder (`case` is the path from the swept
# model to the case: "" or "case__"). They mirror cases/access/rules.py, and
# tests/reminders/test_owners.py checks every assignee against the predicate itself.
POLICE_CASEWORK_ROLES = [Role.OFFICER, Role.SUPERVISOR]
VICTIM_SIDES = [AgencySide.VICTIM, AgencySide.BOTH]


def owning_police(case: str, holder: str) -> Q:
    """can_record_visit / can_record_order / can_record_disclosure: the owning force's officers."""
    return Q(
        **{
            f"{case}{holder}__is_active": True,
            f"{case}{holder}__role__in": POLICE_CASEWORK_ROLES,
            f"{case}{holder}__agency_id": F(f"{case}owning_agency_id"),
        }
    )


def victim_side_idva(case: str, holder: str) -> Q:
    """can_assess_risk / can_edit_safety_plan for an IDVA: one of a victim-side agency."""
    return Q(
        **{
            f"{case}{holder}__is_active": True,
            f"{case}{holder}__role": Role.IDVA,
            f"{case}{holder}__agency__side__in": VICTIM_SIDES,
        }
    )


def _first_who_can(case: str, *holders: tuple[str, Callable[[str, str], Q]]) -> Expression:
    """The first of the case's holders who may do the work, else NULL (the case's supervisors)."""
    return Conditional(
        *[When(may(case, holder), then=F(f"{case}{holder}_id")) for holder, may in holders],
        default=NO_ONE,
        output_field=BigIntegerField(),
    )


def may_review(case: str, holder: str) -> Q:
    """can_assess_risk / can_edit_safety_plan: a victim-side IDVA or an officer of the owning force."""
    return victim_side_idva(case, holder) | owning_police(case, holder)


# Each kind's holders in order of preference; the first who may do the work owes it. Work nobody on
# the case may do is owed by nobody, which puts it on the case's supervisors' list.
def perpetrator_visit_owner(case: str) -> Expression:
    """can_record_visit: the offender manager if an officer of the owning force (integrated offender
    management), else the SPOC. A probation offender manager cannot log a police visit."""
    return _first_who_can(case, ("offender_manager", owning_police), ("spoc", owning_police))


def victim_visit_owner(case: str) -> Expression:
    """can_record_visit: the victim's SPOC, else a police offender manager on the case."""
    return _first_who_can(case, ("spoc", owning_police), ("offender_manager", owning_police))


def review_owner(case: str) -> Expression:
    """can_assess_risk / can_edit_safety_plan: the IDVA, else the SPOC, else a police offender manager."""
    return _first_who_can(case, ("idva", may_review), ("spoc", may_review), ("offender_manager", may_review))


def order_owner(case: str) -> Expression:
    """can_record_order: as for the perpetrator's visits, the police offender manager, else the SPOC."""
    return _first_who_can(case, ("offender_manager", owning_police), ("spoc", owning_police))


def disclosure_owner(case: str) -> Expression:
    """can_record_disclosure: Clare's Law decisions are the police's: the SPOC, else a police
    offender manager."""
    return _first_who_can(case, ("spoc", owning_police), ("offender_manager", owning_police))


def perpetrator_visits(today: datetime.date) -> QuerySet:
    return _rows(
        Case.objects.exclude(status=CaseStatus.CLOSED).filter(
            next_perpetrator_visit_due__lte=today + datetime.timedelta(days=LEAD_DAYS)
        ),
        r_case=F("pk"),
        r_subject=Value("perpetrator", output_field=CharField()),
        r_due=F("next_perpetrator_visit_due"),
        r_assignee=perpetrator_visit_owner(""),
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
        r_assignee=victim_visit_owner("case__"),
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
        r_assignee=review_owner(""),
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
        r_assignee=review_owner("case__"),
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
        r_assignee=order_owner("case__"),
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
        r_assignee=disclosure_owner("case__"),
        r_agency=NO_ONE,
        r_high=_high("case__"),
    )


@dataclass(frozen=True)
class Sweep:
    kind: ReminderKind
    due: Callable[[datetime.date], QuerySet]
    due_offset_days: int = 0  # added to the selected date to give the due date
    # Who owes it, given the path to the case; None for work owed by an agency (the referral's
    # receiving agency, the meeting action's assigned agency: everyone there who may do it).
    owner: Callable[[str], Expression] | None = None


KINDS = [
    Sweep(ReminderKind.PERPETRATOR_VISIT_DUE, perpetrator_visits, owner=perpetrator_visit_owner),
    Sweep(ReminderKind.VICTIM_VISIT_DUE, victim_visits, owner=victim_visit_owner),
    Sweep(ReminderKind.RISK_REVIEW_DUE, risk_reviews, owner=review_owner),
    Sweep(ReminderKind.SAFETY_PLAN_REVIEW_DUE, safety_plan_reviews, owner=review_owner),
    Sweep(ReminderKind.REFERRAL_RESPONSE_OVERDUE, referrals_awaiting_response),
    Sweep(ReminderKind.ORDER_ENDS_IN_7_DAYS, orders_ending_in_7_days, owner=order_owner),
    Sweep(ReminderKind.ORDER_ENDS_TOMORROW, orders_ending_tomorrow, owner=order_owner),
    Sweep(ReminderKind.MEETING_ACTION_DUE, meeting_actions),
    Sweep(ReminderKind.DISCLOSURE_DECISION_DUE, disclosure_decisions, DECISION_TARGET_DAYS, disclosure_owner),
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
    # Table and column names are the model's; every value is a parameter. NOT EXISTS skips a due
    # date already raised and still open, or dismissed with a reason (someone decided it is not
    # needed); one closed as done does not count, since the work is owed again if its date is due
    # again. The anti-join is far cheaper than attempting and refusing each insert; ON CONFLICT
    # still refuses an open row a concurrent sweep inserted in the meantime.
    sql = (
        f"INSERT INTO {table} (public_id, kind, case_id, subject_key, due_on, assignee_id, agency_id,"  # noqa: S608
        " high_risk, status, dismissed_reason, created_at)"
        f" SELECT {_new_uuid_sql()}, %s, q.r_case, q.r_subject, {due}, q.r_assignee, q.r_agency, q.r_high,"
        f" %s, '', %s FROM ({select}) AS q"
        f" WHERE NOT EXISTS (SELECT 1 FROM {table} r WHERE r.kind = %s AND r.case_id = q.r_case"
        f" AND r.subject_key = q.r_subject AND r.due_on = {due} AND r.status IN (%s, %s))"
        " ON CONFLICT DO NOTHING"
    )
    now_param = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                sweep.kind.value,
                ReminderStatus.OPEN.value,
                now_param,
                *params,
                sweep.kind.value,
                ReminderStatus.OPEN.value,
                ReminderStatus.DISMISSED.value,
            ],
        )
        return max(cursor.rowcount, 0)


def reminders_reassign(*, case_ids: Collection[int] | None = None) -> int:
    """Give each open reminder to whoever may now do the work, where that is not its holder (the
    case was reallocated, the person left or changed role; or it was raised before this rule).
    One UPDATE ... FROM (each case's owner for every kind) over the open reminders; a high-risk one
    is e-mailed again, to its new holder. The sweep runs it for every case, a reallocation for the
    cases it changed. Returns the reminders moved."""
    if case_ids is not None and not case_ids:
        return 0
    owned = [(sweep.kind.value, sweep.owner) for sweep in KINDS if sweep.owner is not None]
    columns = {f"r_owner_{index}": owner_of("") for index, (_kind, owner_of) in enumerate(owned)}
    cases = Case.objects.all() if case_ids is None else Case.objects.filter(pk__in=list(case_ids))
    select, params = (
        cases.annotate(r_case=F("pk"), **columns).order_by().values_list("r_case", *columns).query.sql_with_params()
    )
    table = Reminder._meta.db_table
    owner = "CASE " + " ".join(f"WHEN {table}.kind = %s THEN q.{column}" for column in columns) + " END"
    kinds = [kind for kind, _owner_of in owned]
    placeholders = ", ".join(["%s"] * len(kinds))
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    sql = (
        f"UPDATE {table} SET assignee_id = {owner}, notified_at = NULL FROM ({select}) AS q"  # noqa: S608
        f" WHERE {table}.case_id = q.r_case AND {table}.status = %s AND {table}.kind IN ({placeholders})"
        f" AND {table}.assignee_id {differs} {owner}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*kinds, *params, ReminderStatus.OPEN.value, *kinds, *kinds])
        return max(cursor.rowcount, 0)


def reminders_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """Raise every kind of reminder due by the horizon, then put every open one with someone who
    can act on it. Returns the rows inserted per kind. Each kind commits on its own, so one failing
    kind does not hold back the others' reminders."""
    today = today or timezone.localdate()
    now = timezone.now()
    inserted = {}
    for sweep in KINDS:
        with transaction.atomic():
            inserted[sweep.kind.value] = _insert(sweep, today, now)
    # After the inserts (which give new reminders their owner already), so that a failure here
    # holds back no reminder: the task is retried and both steps run again.
    with transaction.atomic():
        reassigned = reminders_reassign()
    if reassigned:
        logger.info("Reminder sweep: %d open reminders moved to someone who can act on them.", reassigned)
    return inserted
