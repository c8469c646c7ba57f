"""Opening cases from the ranked list, in one action."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case, CaseStatus, Operation
from cases.services import case_open
from dacrre.accounts.models import POLICE_CASEWORK_ROLES, Agency, Area, Role, User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from incidents.models import Incident
from perpetrators.models import Perpetrator
from victims.models import Child, Victim

from .models import (
    DailyTasking,
    PerpetratorScore,
    TaskingEntry,
    TaskingKind,
    TaskingResult,
    TaskingSnapshot,
    VictimIncidentCount,
)
from .rules import can_manage_tasking, can_open_case_from_ranking, can_view_scores
from .scoring_sql import scores_select_sql, victim_counts_select_sql
from .selectors import perpetrators_ranked


@transaction.atomic
def cases_open_for_perpetrators(
    *, actor: User, operation: Operation, perpetrators: Iterable[Perpetrator]
) -> tuple[list[Case], list[Perpetrator]]:
    """Open a case in the operation for each perpetrator who has no open case in it, with the victims
    and children of their incidents recorded by the actor's force, in the area of the latest one.
    Returns (cases opened, perpetrators skipped because they already have one)."""
    if not can_open_case_from_ranking(actor) or actor.agency is None:
        raise PermissionDeniedError("Only the force's supervisors open cases from the ranking.")
    if operation.lead_agency_id != actor.agency_id or not operation.is_active:
        raise ApplicationError("Choose an active operation of your force", field="operation")
    opened: list[Case] = []
    skipped: list[Perpetrator] = []
    for perpetrator in perpetrators:
        if Case.objects.filter(operation=operation, perpetrator=perpetrator).exclude(status=CaseStatus.CLOSED).exists():
            skipped.append(perpetrator)
            continue
        incidents = Incident.objects.filter(perpetrator=perpetrator, recording_agency=actor.agency)
        latest = incidents.select_related("area").order_by("-occurred_at").first()
        if latest is None:
            raise ApplicationError(f"{perpetrator} has no incidents recorded by your force")
        opened.append(
            case_open(
                actor=actor,
                operation=operation,
                perpetrator=perpetrator,
                owning_agency=actor.agency,
                area=latest.area,
                victims=Victim.objects.filter(incidents__in=incidents).distinct(),
                children=Child.objects.filter(incidents_present_at__in=incidents).distinct(),
            )
        )
    return opened, skipped


@transaction.atomic
def tasking_snapshot_take(*, actor: User, area: Area, month: datetime.date, top_n: int) -> TaskingSnapshot:
    """Freeze this month's top N for an area, from the live ranking."""
    if not can_view_scores(actor) or actor.agency_id != area.agency_id:
        raise PermissionDeniedError("Only the force's analysts and supervisors take tasking lists.")
    if not 1 <= top_n <= 100:
        raise ApplicationError("Choose between 1 and 100 perpetrators", field="top_n")
    dates.TASKING_MONTH.check(month, field="month")
    month = month.replace(day=1)
    if TaskingSnapshot.objects.filter(area=area, month=month).exists():
        raise ApplicationError(f"{area.name} already has a tasking list for {month:%B %Y}", field="area")
    snapshot = TaskingSnapshot.objects.create(agency=area.agency, area=area, month=month, top_n=top_n, taken_by=actor)
    ranked = perpetrators_ranked(
        agency=area.agency, area=area
    ).values(  # type: ignore[misc]  # annotated by the selector
        "pk", "total", "frequency", "gravity", "victims_count"
    )[:top_n]
    TaskingEntry.objects.bulk_create(
        [
            TaskingEntry(
                snapshot=snapshot,
                perpetrator_id=row["pk"],
                rank=rank,
                total=row["total"],
                frequency=row["frequency"],
                gravity=row["gravity"],
                victims=row["victims_count"],
            )
            for rank, row in enumerate(ranked, start=1)
        ]
    )
    return snapshot


@dataclass
class TaskingComparison:
    new: list[TaskingEntry]
    dropped: list[TaskingEntry]
    fell: list[tuple[TaskingEntry, TaskingEntry]]  # (now, before)
    rose: list[tuple[TaskingEntry, TaskingEntry]]


def tasking_compare(current: TaskingSnapshot, previous: TaskingSnapshot | None) -> TaskingComparison:
    now = {e.perpetrator_id: e for e in current.entries.select_related("perpetrator__person")}
    before = {e.perpetrator_id: e for e in previous.entries.select_related("perpetrator__person")} if previous else {}
    both = [(now[pk], before[pk]) for pk in now.keys() & before.keys()]
    return TaskingComparison(
        new=sorted((e for pk, e in now.items() if pk not in before), key=lambda e: e.rank),
        dropped=sorted((e for pk, e in before.items() if pk not in now), key=lambda e: e.rank),
        fell=sorted(((n, b) for n, b in both if n.total < b.total), key=lambda pair: pair[0].rank),
        rose=sorted(((n, b) for n, b in both if n.total > b.total), key=lambda pair: pair[0].rank),
    )


SCORE_FIELDS = ("frequency", "gravity", "victims_count", "latest", "recency_points", "total")
SCORE_COLUMNS = ["perpetrator_id", *SCORE_FIELDS]


@transaction.atomic
def scores_refresh(*, agency: Agency) -> int:
    """Recompute and store the agency's scores: all areas together, and each area. The scores are
    computed and inserted by the database in one statement per area (`scoring_sql`); nothing passes
    through Python row by row. Returns rows stored."""
    now = timezone.now()
    PerpetratorScore.objects.filter(agency=agency).delete()
    VictimIncidentCount.objects.filter(agency=agency).delete()
    table = PerpetratorScore._meta.db_table
    stored = 0
    with connection.cursor() as cursor:
        for area in [None, *Area.objects.filter(agency=agency)]:
            select, params = scores_select_sql(agency=agency, area=area, now=now)
            columns = ", ".join(SCORE_COLUMNS)
            # Table and column names come from the model; every value is a parameter.
            insert = f"INSERT INTO {table} (agency_id, area_id, computed_at, {columns})"  # noqa: S608
            cursor.execute(
                f"{insert} SELECT %s, %s, %s, {columns} FROM ({select}) AS scores",  # noqa: S608
                [agency.pk, area.pk if area else None, connection.ops.adapt_datetimefield_value(now), *params],
            )
            stored += cursor.rowcount
            victims_select, victims_params = victim_counts_select_sql(agency=agency, area=area, now=now)
            counts_table = VictimIncidentCount._meta.db_table
            cursor.execute(
                f"INSERT INTO {counts_table} (agency_id, area_id, computed_at, victim_id, incidents)"  # noqa: S608
                f" SELECT %s, %s, %s, victim_id, incidents FROM ({victims_select}) AS counts",
                [agency.pk, area.pk if area else None, connection.ops.adapt_datetimefield_value(now), *victims_params],
            )
    if connection.vendor == "postgresql":
        # Fresh statistics after replacing the rows, or the planner may sort the table instead.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE scoring_perpetratorscore")
            cursor.execute("ANALYZE scoring_victimincidentcount")
    return stored


def inspectors_for(agency_id: int) -> QuerySet[User]:
    """Who may own a top-N entry: the force's active supervisors."""
    return User.objects.filter(agency_id=agency_id, role=Role.SUPERVISOR, is_active=True).order_by(
        "last_name", "first_name"
    )


def officers_for(agency_id: int) -> QuerySet[User]:
    """Who may be tasked: the force's active officers and supervisors."""
    return User.objects.filter(agency_id=agency_id, role__in=list(POLICE_CASEWORK_ROLES), is_active=True).order_by(
        "last_name", "first_name"
    )


INSPECTOR_CHANGED = "Someone else changed the inspector of {entry} since you opened the page: check it and try again."


@transaction.atomic
def tasking_inspectors_set(
    *, actor: User, snapshot: TaskingSnapshot, changes: dict[int, tuple[int | None, int | None]]
) -> int:
    """Set each entry's owning inspector: {entry id: (inspector shown on the page, inspector chosen)}.
    Each write is conditional on the inspector still being the one shown, so two supervisors saving
    at once cannot overwrite each other unseen: the second is told. Returns the entries changed."""
    if not can_manage_tasking(actor) or actor.agency_id != snapshot.agency_id:
        raise PermissionDeniedError("The force's supervisors set who owns each entry.")
    allowed = set(inspectors_for(snapshot.agency_id).values_list("pk", flat=True))
    entries = {e.pk: e for e in snapshot.entries.select_related("perpetrator__person")}
    changed = 0
    for entry_id, (was, chosen) in changes.items():
        entry = entries.get(entry_id)
        if entry is None:
            raise ApplicationError("Choose entries of this list")
        if was == chosen:
            continue
        if chosen is not None and chosen not in allowed:
            raise ApplicationError(f"Choose one of the force's supervisors for {entry}")
        if not TaskingEntry.objects.filter(pk=entry_id, inspector_id=was).update(inspector_id=chosen):
            raise ConflictError(INSPECTOR_CHANGED.format(entry=entry))
        changed += 1
    return changed


@transaction.atomic
def tasking_assign(
    *, actor: User, entry: TaskingEntry, officer: User, kind: TaskingKind | str, instructions: str = ""
) -> DailyTasking:
    """Task an officer today on an entry of this month's list, linked to the perpetrator's open case
    of the force if there is one."""
    snapshot = entry.snapshot
    if not can_manage_tasking(actor) or actor.agency_id != snapshot.agency_id:
        raise PermissionDeniedError("The force's supervisors task officers on the top-N list.")
    today = timezone.localdate()
    dates.TASKED_ON.check(today)
    if (snapshot.month.year, snapshot.month.month) != (today.year, today.month):
        raise ApplicationError("Officers are tasked on this month's list only.")
    if not officers_for(snapshot.agency_id).filter(pk=officer.pk).exists():
        raise ApplicationError("Choose an officer of the force", field="officer")
    if kind not in TaskingKind.values:
        raise ApplicationError("Choose what they are tasked to do", field="kind")
    case = (
        Case.objects.filter(perpetrator_id=entry.perpetrator_id, owning_agency_id=snapshot.agency_id)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("-opened_at")
        .first()
    )
    try:
        with transaction.atomic():
            return DailyTasking.objects.create(
                entry=entry,
                case=case,
                tasked_on=today,
                officer=officer,
                kind=kind,
                instructions=instructions.strip(),
                tasked_by=actor,
            )
    except IntegrityError as exc:
        raise ConflictError(
            f"{officer.get_full_name()} is already tasked with {TaskingKind(kind).label.lower()} on {entry} today."
        ) from exc


@transaction.atomic
def tasking_result_record(
    *, actor: User, tasking: DailyTasking, result: TaskingResult | str, notes: str = ""
) -> DailyTasking:
    """The tasked officer (or a supervisor of the force) records what came of it, once."""
    locked = DailyTasking.objects.select_for_update().select_related("entry__snapshot").get(pk=tasking.pk)
    agency_id = locked.entry.snapshot.agency_id
    if not (actor.pk == locked.officer_id or (can_manage_tasking(actor) and actor.agency_id == agency_id)):
        raise PermissionDeniedError("The officer tasked records the result.")
    if locked.result:
        raise ConflictError("The result of this tasking is already recorded.")
    if result not in TaskingResult.values:
        raise ApplicationError("Choose what came of it", field="result")
    locked.result, locked.result_notes, locked.result_recorded_at = result, notes.strip(), timezone.now()
    locked._history_user = actor  # type: ignore[attr-defined]
    locked.save(update_fields=["result", "result_notes", "result_recorded_at"])
    return locked
