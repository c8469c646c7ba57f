"""Raising reminders: one INSERT ... SELECT per kind, nothing looped over in Python.

Each kind is a queryset of what is due, registered by the app that owns the work (`register_sweep`
in its `sweeps.py`, found at start-up as case panels are; the engine imports no domain app). The
sweep inserts its rows straight from the query, skipping any due date that already has an open
reminder or one dismissed with a reason, and lets the database refuse a second open one (ON CONFLICT
DO NOTHING on the partial unique index of open reminders), so a sweep can run twice, two beats can
run it at once, and after an outage it catches up on everything missed: it asks "what is due by the
horizon?", not "what became due since the last run?". A reminder closed as done does not stop its
due date being raised again: if the date is due once more (a visit recorded late), the work is owed
again.

Every task goes to someone whose role can do it (the `can_*` predicate named on each kind's owner):
the holder of the case who may act, else nobody, and work held by nobody is the case's supervisors'
(their team list, their digest, the high-risk e-mail). Each sweep also moves open reminders whose
holder can no longer act (a case reallocated, a person left) to whoever can now.
"""

import datetime
import logging
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import BigIntegerField, BooleanField, CharField, Expression, F, Q, QuerySet, Value, When
from django.db.models import Case as Conditional
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from cases.models import Case, RiskLevel
from dacrre.accounts.models import POLICE_CASEWORK_ROLES, VICTIM_SIDES, Role

from .models import Reminder, ReminderKind, ReminderStatus

logger = logging.getLogger(__name__)

# Reminders appear this many days before the work is due.
LEAD_DAYS = 3
COLUMNS = ["r_case", "r_subject", "r_due", "r_assignee", "r_agency", "r_high"]


def high_risk(prefix: str = "") -> Conditional:
    """The case (at `prefix`, the path to it) is high risk: the reminder is e-mailed at once."""
    return Conditional(
        When(**{f"{prefix}risk_level": RiskLevel.HIGH}, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )


def subject_key(prefix: str, field: str) -> Concat:
    """What the reminder is about inside the case, e.g. "plan:<id>"."""
    return Concat(Value(prefix), Cast(field, CharField()), output_field=CharField())


# A typed NULL: an untyped one is text to PostgreSQL inside a subquery.
NO_ONE = Cast(Value(None), BigIntegerField())


def sweep_rows(queryset: QuerySet, **columns: object) -> QuerySet:
    """A kind's query: its rows as the INSERT takes them (the COLUMNS, annotated)."""
    return queryset.annotate(**columns).order_by().values_list(*COLUMNS)  # the models' ordering is no use here


# Who may do the work, stated as conditions on a case's holder (`case` is the path from the swept
# model to the case: "" or "case__"). They mirror cases/access/rules.py, and
# tests/reminders/test_owners.py checks every assignee against the predicate itself.


def owning_police(case: str, holder: str) -> Q:
    """can_record_visit / can_record_order / can_record_disclosure: the owning force's officers."""
    return Q(
        **{
            f"{case}{holder}__is_active": True,
            f"{case}{holder}__role__in": list(POLICE_CASEWORK_ROLES),
            f"{case}{holder}__agency_id": F(f"{case}owning_agency_id"),
        }
    )


def victim_side_idva(case: str, holder: str) -> Q:
    """can_assess_risk / can_edit_safety_plan for an IDVA: one of a victim-side agency."""
    return Q(
        **{
            f"{case}{holder}__is_active": True,
            f"{case}{holder}__role": Role.IDVA,
            f"{case}{holder}__agency__side__in": list(VICTIM_SIDES),
        }
    )


def first_who_can(case: str, *holders: tuple[str, Callable[[str, str], Q]]) -> Expression:
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
# the case may do is owed by nobody, which puts it on the case's supervisors' list. Risk reviews and
# safety-plan reviews share theirs; the other kinds' are beside their queries in the apps' sweeps.py.
def review_owner(case: str) -> Expression:
    """can_assess_risk / can_edit_safety_plan: the IDVA, else the SPOC, else a police offender manager."""
    return first_who_can(case, ("idva", may_review), ("spoc", may_review), ("offender_manager", may_review))


@dataclass(frozen=True)
class Sweep:
    kind: ReminderKind
    due: Callable[[datetime.date], QuerySet]
    due_offset_days: int = 0  # added to the selected date to give the due date
    # Who owes it, given the path to the case; None for work owed by an agency (the referral's
    # receiving agency, the meeting action's assigned agency: everyone there who may do it).
    owner: Callable[[str], Expression] | None = None


# The registered kinds, in the order of ReminderKind: each commits on its own, in this order.
KINDS: list[Sweep] = []
# Kinds raised by an event rather than swept (a Victims' Code update owed at each change in the
# investigation), with who owes them: the sweep and a reallocation move them as the swept kinds.
RAISED_OWNERS: dict[ReminderKind, Callable[[str], Expression]] = {}


def register_sweep(
    kind: ReminderKind, *, owner: Callable[[str], Expression] | None = None, due_offset_days: int = 0
) -> Callable[[Callable[[datetime.date], QuerySet]], Callable[[datetime.date], QuerySet]]:
    """Register the query of what is due for one kind of reminder. Used by each app in its
    `sweeps.py`, which the reminders app imports at start-up (`RemindersConfig.ready`)."""

    def decorator(due: Callable[[datetime.date], QuerySet]) -> Callable[[datetime.date], QuerySet]:
        if any(sweep.kind == kind for sweep in KINDS):
            raise ImproperlyConfigured(f"Two sweeps registered for the reminder kind {kind.value!r}.")
        KINDS.append(Sweep(kind, due, due_offset_days, owner))
        order = list(ReminderKind)
        KINDS.sort(key=lambda sweep: order.index(sweep.kind))
        return due

    return decorator


def register_owner(kind: ReminderKind, owner: Callable[[str], Expression]) -> None:
    """Who owes a kind of reminder that its app raises itself (no due query): used by the app's
    `sweeps.py`, so that reminders_reassign keeps it with someone who can act, and by the app's
    service (case_owner_id) to give a new one its holder."""
    if kind in RAISED_OWNERS or any(sweep.kind == kind for sweep in KINDS):
        raise ImproperlyConfigured(f"Two owners registered for the reminder kind {kind.value!r}.")
    RAISED_OWNERS[kind] = owner


def case_owner_id(case_id: int, kind: ReminderKind) -> int | None:
    """The id of whoever owes this kind of reminder on the case now (None: the case's supervisors)."""
    owner = RAISED_OWNERS.get(kind) or next((sweep.owner for sweep in KINDS if sweep.kind == kind), None)
    if owner is None:
        return None
    return Case.objects.filter(pk=case_id).annotate(r_owner=owner("")).values_list("r_owner", flat=True).first()


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
    owned += [(kind.value, owner) for kind, owner in RAISED_OWNERS.items()]
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
