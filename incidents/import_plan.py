"""Working out what an incident extract would change, without writing anything.

The plan is the dry run: which incidents are new, changed or unchanged, which people are matched to
existing records, which are new, and which pairs are likely duplicates for review. The import
(`incidents.services.incident_import`) builds the same plan again inside its transaction and
applies it with bulk writes, so what the analyst confirmed is what is written.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dacrre.accounts.models import Agency, Area
from people.matching import Identity, MatchKind, PersonIndex, compare
from people.models import Person

from .importer import IncidentRow, PersonRow, RowError
from .models import Incident

Progress = Callable[[str, int, int], None]
CHUNK = 2000
INCIDENT_FIELDS = ["occurred_at", "area_id", "offence_category", "is_crime", "injury", "weapon_used", "summary"]


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


@dataclass
class PlannedPerson:
    """A person an incident names: an existing record (`person_id`) or a new one (`new_index`)."""

    person_id: int | None = None
    new_index: int | None = None


@dataclass
class PlannedIncident:
    row: IncidentRow
    existing_id: int | None
    perpetrator: PlannedPerson
    victim: PlannedPerson | None
    changed: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    incidents: list[PlannedIncident] = field(default_factory=list)
    new_people: list[Identity] = field(default_factory=list)
    # (person, person, why): either side may be a new person, written as ("new", index).
    likely_duplicates: list[tuple[Any, Any, str]] = field(default_factory=list)
    police_ids_to_fill: dict[int, str] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    people_matched: set[int] = field(default_factory=set)

    @property
    def created(self) -> list[str]:
        return [p.row.source_reference for p in self.incidents if p.existing_id is None]

    @property
    def updated(self) -> list[dict[str, object]]:
        return [
            {"source_reference": p.row.source_reference, "changed": p.changed}
            for p in self.incidents
            if p.existing_id is not None and p.changed
        ]

    @property
    def unchanged(self) -> int:
        return sum(1 for p in self.incidents if p.existing_id is not None and not p.changed)


def _identity(row: PersonRow) -> Identity:
    return Identity(row.given_name, row.family_name, row.date_of_birth, row.police_id or None)


@dataclass
class _ExistingIncident:
    id: int
    agency_id: int
    values: dict[str, Any]
    perpetrator_person_id: int
    victim_person_ids: set[int]


def _existing_incidents(references: list[str]) -> dict[str, _ExistingIncident]:
    found: dict[str, _ExistingIncident] = {}
    for start in range(0, len(references), CHUNK):
        chunk = references[start : start + CHUNK]
        rows = list(
            Incident.objects.filter(source_reference__in=chunk).values(
                "id", "source_reference", "recording_agency_id", "perpetrator__person_id", *INCIDENT_FIELDS
            )
        )
        by_id: dict[int, _ExistingIncident] = {}
        for row in rows:
            incident = _ExistingIncident(
                row["id"],
                row["recording_agency_id"],
                {name: row[name] for name in INCIDENT_FIELDS},
                row["perpetrator__person_id"],
                set(),
            )
            found[row["source_reference"]] = by_id[incident.id] = incident
        links = Incident.victims.through.objects.filter(incident_id__in=list(by_id)).values_list(
            "incident_id", "victim__person_id"
        )
        for incident_id, person_id in links:
            by_id[incident_id].victim_person_ids.add(person_id)
    return found


class _Resolver:
    """Matches each person in the file once, remembering new people so that a person named on many
    rows becomes one record."""

    def __init__(self, plan: ImportPlan, index: PersonIndex, identities: dict[int, Identity]) -> None:
        self.plan = plan
        self.index = index
        self.identities = identities  # stored identities of people the existing incidents name
        self.new_by_identity: dict[tuple[str, str, datetime.date | None, str | None], int] = {}

    def resolve(self, row: PersonRow, already_linked: Iterable[int]) -> PlannedPerson:
        identity = _identity(row)
        # Re-import: keep the person the incident already names unless the row now says otherwise.
        for person_id in already_linked:
            known = self.identities.get(person_id)
            if known is not None and compare(identity, known).kind is not MatchKind.DIFFERENT:
                return PlannedPerson(person_id=person_id)
        key = (identity.given_key, identity.family_key, identity.date_of_birth, identity.police_identifier)
        if key in self.new_by_identity:
            return PlannedPerson(new_index=self.new_by_identity[key])
        result = self.index.match(identity)
        if result.person_id is not None and result.person_id > 0:
            self.plan.people_matched.add(result.person_id)
            if identity.police_identifier and result.reason != "same police identifier":
                self.plan.police_ids_to_fill.setdefault(result.person_id, identity.police_identifier)
            return PlannedPerson(person_id=result.person_id)
        if result.person_id is not None:  # a person new in this file, matched again
            return PlannedPerson(new_index=-result.person_id - 1)
        new_index = len(self.plan.new_people)
        self.plan.new_people.append(identity)
        self.new_by_identity[key] = new_index
        # New people are indexed with negative ids so later rows match them.
        self.index.add(-new_index - 1, identity)
        for other_id, reason in result.likely:
            other: Any = other_id if other_id > 0 else ("new", -other_id - 1)
            self.plan.likely_duplicates.append((("new", new_index), other, reason))
        return PlannedPerson(new_index=new_index)


def import_plan_build(
    *,
    agency: Agency,
    rows: list[IncidentRow],
    areas: dict[str, Area],
    progress: Progress = _no_progress,
    phase: str = "checking",
) -> ImportPlan:
    """`phase` names the work in progress reports: "checking" for the dry run, "preparing" when the
    import builds the plan again before writing it."""
    plan = ImportPlan()
    existing = _existing_incidents([row.source_reference for row in rows])
    linked_ids = {pid for inc in existing.values() for pid in (inc.perpetrator_person_id, *inc.victim_person_ids)}
    identities = {
        pk: Identity(given, family, born, police_id)
        for pk, given, family, born, police_id in Person.objects.filter(pk__in=linked_ids).values_list(
            "pk", "given_name", "family_name", "date_of_birth", "police_identifier"
        )
    }
    resolver = _Resolver(plan, PersonIndex.from_database(), identities)
    total = len(rows)
    for number, row in enumerate(rows, start=1):
        current = existing.get(row.source_reference)
        if current is not None and current.agency_id != agency.pk:
            plan.errors.append(
                RowError(row.row, "source_reference", "This incident number was imported by another force")
            )
            continue
        perpetrator = resolver.resolve(row.perpetrator, [current.perpetrator_person_id] if current else [])
        victim = resolver.resolve(row.victim, current.victim_person_ids if current else []) if row.victim else None
        planned = PlannedIncident(row, current.id if current else None, perpetrator, victim)
        if current is not None:
            values = row_values(row, areas)
            planned.changed = [
                name.removesuffix("_id") for name in INCIDENT_FIELDS if current.values[name] != values[name]
            ]
            if perpetrator.person_id != current.perpetrator_person_id:
                planned.changed.append("perpetrator")
            victim_ids = {victim.person_id} if victim is not None else set()
            if victim_ids != current.victim_person_ids:
                planned.changed.append("victims")
        plan.incidents.append(planned)
        if number % CHUNK == 0 or number == total:
            progress(phase, number, total)
    return plan


def row_values(row: IncidentRow, areas: dict[str, Area]) -> dict[str, Any]:
    return {
        "occurred_at": row.occurred_at,
        "area_id": areas[row.area].pk,
        "offence_category": row.offence_category,
        "is_crime": row.is_crime,
        "injury": row.injury,
        "weapon_used": row.weapon_used,
        "summary": row.summary,
    }
