import contextlib
import datetime
import gc
import io
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from dacrre.accounts.models import Agency, Area, User
from dacrre.core import dates
from people.merging import duplicate_candidates_raise
from people.models import Person
from perpetrators.models import Perpetrator
from victims.models import Child, Victim

from .import_hooks import import_hooks
from .import_plan import CHUNK, INCIDENT_FIELDS, ImportPlan, PlannedPerson, Progress, import_plan_build, row_values
from .importer import parse_incident_csv
from .models import Incident, OffenceCategory
from .signals import incident_recorded

REPORT_LIMIT = 500
# Imports write one at a time, whatever the agency: people are shared by every agency, and two
# imports matching against the same snapshot would each create the people new to both files.
IMPORT_LOCK_KEY = zlib.crc32(b"dacrre.incidents.import")
LOCK_POLL_SECONDS = 1.0
# Off only in the test that compares the PostgreSQL fast path (COPY) with the portable one.
COPY_ON_POSTGRESQL = True


class ImportBusyError(Exception):
    """Another import is writing, and the caller chose not to wait for it."""


def import_lock_take(*, wait_seconds: float | None, waiting: Callable[[], None]) -> None:
    """Take the import lock for the rest of the current transaction, calling `waiting` while another
    import holds it. On PostgreSQL an advisory transaction lock: released when the transaction ends,
    whether it commits, rolls back or its connection is cut. On SQLite the database itself lets one
    transaction write at a time (transactions begin IMMEDIATE), so there is nothing to take."""
    if connection.vendor != "postgresql":
        return
    deadline = None if wait_seconds is None else time.monotonic() + wait_seconds
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
            if cursor.fetchone()[0]:
                return
            if deadline is not None and time.monotonic() >= deadline:
                raise ImportBusyError("Another import is being written")
            waiting()
            time.sleep(LOCK_POLL_SECONDS)


@transaction.atomic
def incident_record(
    *,
    actor: User | None,
    source_reference: str,
    occurred_at: datetime.datetime,
    area: Area,
    recording_agency: Agency,
    offence_category: OffenceCategory | str,
    perpetrator: Perpetrator,
    victims: Iterable[Victim] = (),
    children_present: Iterable[Child] = (),
    injury: bool = False,
    weapon_used: bool = False,
    summary: str = "",
) -> Incident:
    dates.INCIDENT_OCCURRED.check(occurred_at, field="occurred_at")
    incident = Incident(
        source_reference=source_reference,
        occurred_at=occurred_at,
        area=area,
        recording_agency=recording_agency,
        offence_category=offence_category,
        is_crime=offence_category != OffenceCategory.NON_CRIME,
        perpetrator=perpetrator,
        injury=injury,
        weapon_used=weapon_used,
        summary=summary,
    )
    incident._history_user = actor  # type: ignore[attr-defined]
    incident.full_clean()
    incident.save()
    incident.victims.set(victims)
    incident.children_present.set(children_present)
    incident_recorded.send(sender=Incident, incident=incident)
    return incident


def _with_history(model: type[Model], ids: list[int], *, actor: User | None, kind: str) -> None:
    """The history rows (django-simple-history) of rows just written, copied by the database from
    the rows themselves, one INSERT ... SELECT per chunk, instead of built as objects in Python and
    inserted (bulk_create_with_history): the same rows, in a fraction of the time (most of an
    import's time went to history rows). `kind` is simple_history's "+" (created) or "~" (changed)."""
    history: type[Model] = model.history.model  # type: ignore[attr-defined]
    live = {field.column for field in model._meta.concrete_fields}
    columns = ", ".join(
        connection.ops.quote_name(str(field.column)) for field in history._meta.concrete_fields if field.column in live
    )
    table, history_table = (connection.ops.quote_name(m._meta.db_table) for m in (model, history))
    now = timezone.now()
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            cursor.execute(
                f"INSERT INTO {history_table} ({columns}, history_date, history_change_reason, history_type,"  # noqa: S608 - names from the models
                f" history_user_id) SELECT {columns}, %s, NULL, %s, %s FROM {table}"
                f" WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                [now, kind, actor.pk if actor is not None else None, *chunk],
            )


def _copy_text(value: Any) -> str:
    """A value as PostgreSQL's COPY text format writes it."""
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # and datetime: ISO 8601, with its offset when aware
        return value.isoformat()
    if not isinstance(value, int | uuid.UUID):
        raise TypeError(f"No COPY text for {type(value).__name__}")
    return str(value)


def _copy(cursor: Any, table: str, columns: list[str], lines: list[str]) -> None:
    quote = connection.ops.quote_name
    cursor.cursor.copy_expert(
        f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN",
        io.StringIO("".join(f"{line}\n" for line in lines)),
    )


def _column_texts(field: Any, rows: list[dict[str, Any]], now: datetime.datetime) -> list[str]:
    """One column of the rows as COPY text (the rows have the same keys): the rows' values, else
    the field's default as Django would fill it in (now for auto_now and a default of
    timezone.now; uuid4 and other callable defaults per row)."""
    if field.attname in rows[0]:
        values = [row[field.attname] for row in rows]
        if all(type(value) is int for value in values):  # ids: nothing to escape (bool is not int here)
            return [str(value) for value in values]
        return [_copy_text(value) for value in values]
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) or field.default is timezone.now:
        return [_copy_text(now)] * len(rows)
    if field.default is uuid.uuid4:
        return [str(uuid.uuid4()) for _ in rows]
    if field.has_default() and callable(field.default):
        return [_copy_text(field.get_default()) for _ in rows]
    return [_copy_text(field.get_default())] * len(rows)


def _insert_copy(model: type[Model], rows: list[dict[str, Any]], *, actor: User | None, history: bool) -> list[int]:
    """The PostgreSQL fast path of _insert: ids taken from the table's sequence first, then the rows
    and their history rows (the same columns, with history_date, history_type "+" and
    history_user_id, as _with_history writes them) sent with COPY, from the values in hand. COPY
    reads its rows as text with no statement to parse per chunk of values; the history no longer
    reads back the rows just written. The text is built a column at a time."""
    pk = model._meta.pk
    assert pk is not None  # noqa: S101 - every model has one
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        columns = [str(pk.column), *(str(field.column) for field in fields)]
        texts = [[str(pk_value) for pk_value in ids], *(_column_texts(field, rows, now) for field in fields)]
        _copy(cursor, model._meta.db_table, columns, ["\t".join(values) for values in zip(*texts, strict=True)])
        if history:
            history_model: type[Model] = model.history.model  # type: ignore[attr-defined]
            copied = [str(f.column) for f in history_model._meta.concrete_fields if f.column in columns]
            tail = "\t".join([now.isoformat(), "\\N", "+", _copy_text(actor.pk if actor is not None else None)])
            history_texts = [*(texts[columns.index(column)] for column in copied), [tail] * len(rows)]
            _copy(
                cursor,
                history_model._meta.db_table,
                [*copied, "history_date", "history_change_reason", "history_type", "history_user_id"],
                ["\t".join(values) for values in zip(*history_texts, strict=True)],
            )
    return ids


def _insert(model: type[Model], rows: list[dict[str, Any]], *, actor: User | None, history: bool = True) -> list[int]:
    """Rows (column values by attribute name; defaults filled in) written, their ids returned in
    order, with their history rows. On PostgreSQL with COPY (_insert_copy): without a model object
    per row (building and preparing those objects was most of the Python time of an import, measured
    with cProfile) and without a statement per chunk. Elsewhere (SQLite) by bulk_create, one
    statement per chunk, then the history (_with_history)."""
    if not rows:
        return []
    if connection.vendor == "postgresql" and COPY_ON_POSTGRESQL:
        return _insert_copy(model, rows, actor=actor, history=history)
    ids = [obj.pk for obj in model._default_manager.bulk_create([model(**row) for row in rows], batch_size=CHUNK)]
    if history:
        _with_history(model, ids, actor=actor, kind="+")
    return ids


def _create_people(plan: ImportPlan, actor: User | None) -> list[int]:
    people = [
        {
            "given_name": identity.given_name,
            "family_name": identity.family_name,
            "date_of_birth": identity.date_of_birth,
            "police_identifier": identity.police_identifier,
        }
        for identity in plan.new_people
    ]
    return _insert(Person, people, actor=actor)


def _person_id(planned: PlannedPerson, new_ids: list[int]) -> int:
    if planned.person_id is not None:
        return planned.person_id
    assert planned.new_index is not None  # noqa: S101 - a planned person is existing or new
    return new_ids[planned.new_index]


def _roles_for(
    model: type[Perpetrator] | type[Victim], person_ids: set[int], actor: User | None, *, new: set[int]
) -> dict[int, int]:
    """The role record (perpetrator or victim) of each person, created where missing. People `new`
    in this import have none yet: only the others are looked up."""
    ids = sorted(person_ids)
    found: dict[int, int] = {}
    known = [pk for pk in ids if pk not in new]
    for start in range(0, len(known), CHUNK):
        found.update(model.objects.filter(person_id__in=known[start : start + CHUNK]).values_list("person_id", "pk"))
    missing = [pk for pk in ids if pk not in found]
    found.update(zip(missing, _insert(model, [{"person_id": pk} for pk in missing], actor=actor), strict=True))
    return found


def _apply(plan: ImportPlan, *, actor: User | None, agency: Agency, areas: dict[str, Area], progress: Progress) -> int:  # noqa: C901
    """Write the plan. Runs inside the caller's transaction. Returns the duplicate pairs queued."""
    total = len(plan.incidents)
    new_ids = _create_people(plan, actor)
    if plan.police_ids_to_fill:
        taken = set(
            Person.objects.filter(police_identifier__in=list(plan.police_ids_to_fill.values())).values_list(
                "police_identifier", flat=True
            )
        )
        for person_id, police_id in plan.police_ids_to_fill.items():
            if police_id not in taken:
                Person.objects.filter(pk=person_id, police_identifier__isnull=True).update(police_identifier=police_id)
    new = set(new_ids)
    perpetrators = _roles_for(Perpetrator, {_person_id(p.perpetrator, new_ids) for p in plan.incidents}, actor, new=new)
    victims = _roles_for(
        Victim, {_person_id(p.victim, new_ids) for p in plan.incidents if p.victim is not None}, actor, new=new
    )
    through = Incident.victims.through
    done = 0
    for start in range(0, total, CHUNK):
        chunk = plan.incidents[start : start + CHUNK]
        new_incidents: list[tuple[dict[str, Any], list[int]]] = []
        changed: list[Incident] = []
        links: list[Any] = []
        stored = Incident.objects.in_bulk([p.existing_id for p in chunk if p.existing_id is not None and p.changed])
        for planned in chunk:
            values = row_values(planned.row, areas)
            values["perpetrator_id"] = perpetrators[_person_id(planned.perpetrator, new_ids)]
            victim_ids = [victims[_person_id(planned.victim, new_ids)]] if planned.victim is not None else []
            if planned.existing_id is None:
                values.update(source_reference=planned.row.source_reference, recording_agency_id=agency.pk)
                new_incidents.append((values, victim_ids))
            elif planned.changed:
                incident = stored[planned.existing_id]
                for name, value in values.items():
                    setattr(incident, name, value)
                changed.append(incident)
                links.extend({"incident_id": planned.existing_id, "victim_id": v} for v in victim_ids)
        created = _insert(Incident, [values for values, _ in new_incidents], actor=actor)
        for incident_id, (_, victim_ids) in zip(created, new_incidents, strict=True):
            links.extend({"incident_id": incident_id, "victim_id": v} for v in victim_ids)
        if changed:
            fields = [*INCIDENT_FIELDS, "perpetrator_id"]
            Incident.objects.bulk_update(changed, fields, batch_size=CHUNK)
            _with_history(Incident, [incident.pk for incident in changed], actor=actor, kind="~")
        # Links of changed incidents are written again: delete then insert keeps it one statement each.
        through.objects.filter(incident_id__in=[i.pk for i in changed]).delete()
        _insert(through, links, actor=actor, history=False)
        done += len(chunk)
        progress("importing", done, total)

    def real(person: Any) -> int:
        return new_ids[person[1]] if isinstance(person, tuple) else int(person)

    pairs = [(real(a), real(b), reason) for a, b, reason in plan.likely_duplicates]
    return duplicate_candidates_raise(agency_id=agency.pk, pairs=pairs)


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while an import holds its rows, people and plan in memory
    (hundreds of thousands of objects, none of them in a cycle that needs it): each collection looks
    at every object, and they came ever more often as the file grew (a 100,000-row check took 13
    times as long as a 20,000-row one; a quarter less with the collector paused). The collector is
    the process's: its other threads go without it while the import runs (the worker runs imports on
    their own queue; a page imports at most a couple of thousand rows)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def incident_import(
    *,
    actor: User,
    agency: Agency,
    content: str,
    dry_run: bool,
    progress: Progress | None = None,
    lock_wait_seconds: float | None = None,
) -> dict[str, object]:
    """Check (dry run) or import a CSV extract. All or nothing; idempotent by source reference.

    An import waits for any other import to finish writing (`lock_wait_seconds`, None: as long as
    it takes; past that, ImportBusyError) and then builds its plan, so that it matches the people
    the other created. The report keeps counts and the first REPORT_LIMIT references of each list,
    so that a file of 100,000 rows does not make a report of megabytes."""
    with _without_cycle_collection():
        return _incident_import(
            actor=actor,
            agency=agency,
            content=content,
            dry_run=dry_run,
            progress=progress or (lambda phase, done, total: None),
            lock_wait_seconds=lock_wait_seconds,
        )


def _incident_import(
    *,
    actor: User,
    agency: Agency,
    content: str,
    dry_run: bool,
    progress: Progress,
    lock_wait_seconds: float | None,
) -> dict[str, object]:
    started = time.monotonic()
    areas = {area.name: area for area in Area.objects.filter(agency=agency)}
    parsed = parse_incident_csv(content, known_areas=set(areas))
    report: dict[str, object] = {"rows": len(parsed.rows) + len({e.row for e in parsed.errors}), "errors": []}
    if parsed.errors:
        report["errors"] = [error.as_report() for error in parsed.errors]
        return report
    with transaction.atomic():
        if not dry_run:
            report_progress = progress
            import_lock_take(
                wait_seconds=lock_wait_seconds, waiting=lambda: report_progress("queued", 0, len(parsed.rows))
            )
        plan = import_plan_build(
            agency=agency,
            rows=parsed.rows,
            areas=areas,
            progress=progress,
            phase="checking" if dry_run else "preparing",
        )
        if plan.errors:
            report["errors"] = [error.as_report() for error in plan.errors]
            return report
        duplicates = 0
        if not dry_run:
            duplicates = _apply(plan, actor=actor, agency=agency, areas=areas, progress=progress)
            for hook in import_hooks():  # optional columns other apps store (incidents.import_hooks)
                report[hook.name] = hook.write(parsed.rows, actor, agency)
    created, updated = plan.created, plan.updated
    elapsed = time.monotonic() - started
    report.update(
        created=created[:REPORT_LIMIT],
        created_count=len(created),
        updated=updated[:REPORT_LIMIT],
        updated_count=len(updated),
        unchanged=plan.unchanged,
        people_created=len(plan.new_people),
        people_matched=len(plan.people_matched),
        likely_duplicates=len(plan.likely_duplicates) if dry_run else duplicates,
        seconds=round(elapsed, 1),
        rows_per_second=round(len(parsed.rows) / elapsed) if elapsed > 0 else None,
    )
    return report
