import datetime
from collections.abc import Iterable

from django.db import transaction

from dacrre.accounts.models import Agency, Area, User
from people.models import Person
from perpetrators.models import Perpetrator
from victims.models import Child, Victim

from .importer import PersonRow, parse_incident_csv
from .models import Incident, OffenceCategory


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
    # Local import: safety plans build on incidents, not the other way round.
    from safety_plans.services import school_notifications_raise

    school_notifications_raise(incident=incident)
    return incident


class _DryRun(Exception):
    """Raised to roll back a dry run after everything has been worked out."""


def _same_person(person: Person, row: PersonRow) -> bool:
    return (
        person.given_name.lower() == row.given_name.lower()
        and person.family_name.lower() == row.family_name.lower()
        and (not row.police_id or person.police_identifier == row.police_id)
        and (row.date_of_birth is None or person.date_of_birth == row.date_of_birth)
    )


def _match_person(row: PersonRow, created: list[str], matched: list[str], already: Iterable[Person] = ()) -> Person:
    """The person the incident already names (re-import), else by police identifier, else the same
    names and date of birth. Anything else is a new person (tolerant matching and the duplicate
    review queue come with person matching)."""
    person = next((p for p in already if _same_person(p, row)), None)
    if person is None and row.police_id:
        person = Person.objects.filter(police_identifier=row.police_id).first()
    if person is None and row.date_of_birth is not None:
        person = Person.objects.filter(
            given_name__iexact=row.given_name, family_name__iexact=row.family_name, date_of_birth=row.date_of_birth
        ).first()
    label = f"{row.given_name} {row.family_name}"
    if person is not None:
        matched.append(label)
        return person
    created.append(label)
    return Person.objects.create(
        given_name=row.given_name,
        family_name=row.family_name,
        date_of_birth=row.date_of_birth,
        police_identifier=row.police_id or None,
    )


def incident_import(*, actor: User, agency: Agency, content: str, dry_run: bool) -> dict[str, object]:
    """Check (dry run) or import a CSV extract. All or nothing; idempotent by source reference."""
    areas = {area.name: area for area in Area.objects.filter(agency=agency)}
    parsed = parse_incident_csv(content, known_areas=set(areas))
    report: dict[str, object] = {
        "rows": len(parsed.rows) + len({e.row for e in parsed.errors}),
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in parsed.errors],
    }
    if parsed.errors:
        return report
    created: list[str] = []
    updated: list[dict[str, object]] = []
    unchanged = 0
    people_created: list[str] = []
    people_matched: list[str] = []
    try:
        with transaction.atomic():
            for row in parsed.rows:
                incident = Incident.objects.filter(source_reference=row.source_reference).first()
                previous: list[Person] = []
                if incident is not None:
                    previous = [incident.perpetrator.person, *(v.person for v in incident.victims.all())]
                perpetrator_person = _match_person(row.perpetrator, people_created, people_matched, previous)
                perpetrator, _ = Perpetrator.objects.get_or_create(person=perpetrator_person)
                victims = []
                if row.victim is not None:
                    victim, _ = Victim.objects.get_or_create(
                        person=_match_person(row.victim, people_created, people_matched, previous)
                    )
                    victims.append(victim)
                fields = {
                    "occurred_at": row.occurred_at,
                    "area": areas[row.area],
                    "recording_agency": agency,
                    "offence_category": row.offence_category,
                    "is_crime": row.is_crime,
                    "injury": row.injury,
                    "weapon_used": row.weapon_used,
                    "perpetrator": perpetrator,
                    "summary": row.summary,
                }
                if incident is None:
                    incident = Incident(source_reference=row.source_reference, **fields)
                    incident._history_user = actor  # type: ignore[attr-defined]
                    incident.save()
                    incident.victims.set(victims)
                    created.append(row.source_reference)
                    continue
                changes = [name for name, value in fields.items() if getattr(incident, name) != value]
                if set(incident.victims.all()) != set(victims):
                    changes.append("victims")
                if not changes:
                    unchanged += 1
                    continue
                for name, value in fields.items():
                    setattr(incident, name, value)
                incident._history_user = actor  # type: ignore[attr-defined]
                incident.save()
                incident.victims.set(victims)
                updated.append({"source_reference": row.source_reference, "changed": changes})
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    report.update(
        created=created,
        updated=updated,
        unchanged=unchanged,
        people_created=len(set(people_created)),
        people_matched=len(set(people_matched)),
    )
    return report
