"""The import's fast paths give what the plain ones give.

Dates in the usual formats are read without strptime, and any other text goes through strptime as
before; on PostgreSQL the rows and their history go by COPY, elsewhere by bulk_create and
INSERT ... SELECT. Both paths are run here on the same file and must leave the same rows."""

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from incidents import services
from incidents.import_plan import _existing_incidents
from incidents.importer import RowError, _Checker
from incidents.models import Incident
from incidents.services import incident_import
from people.models import Person
from perpetrators.models import Perpetrator
from tests.factories import AreaFactory, UserFactory
from victims.models import Victim

SAMPLE = (Path(__file__).resolve().parents[2] / "docs" / "samples" / "incidents-sample.csv").read_text()
# Text COPY must escape (tab, line breaks, backslash), quotes, accents, and a person without a date of
# birth or police identifier.
SUMMARY = "Tab\there,\r\nnew line \\N back\\slash"
AWKWARD = f'NP/26/90005,2026-10-22 07:05,North,abh,yes,no,no,,Zoë,O\'Neil,,,,,,"{SUMMARY}"\n'


def _local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute)).astimezone(datetime.UTC)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-05 10:07", _local(2026, 1, 5, 10, 7)),
        ("2026-01-05T10:07", _local(2026, 1, 5, 10, 7)),
        ("05/01/2026 10:07", _local(2026, 1, 5, 10, 7)),
        ("2026-1-5 9:07", _local(2026, 1, 5, 9, 7)),  # strptime's single digits
        ("2026-01-05   10:07", _local(2026, 1, 5, 10, 7)),  # and its spaces
        (" 2026-01-05 ", _local(2026, 1, 5)),
        ("2026-02-30 10:00", None),
        ("2026-01-05 24:00", None),
        ("2026-13-01 10:00", None),
        ("٢٠٢٦-01-05 10:07", _local(2026, 1, 5, 10, 7)),  # other digits: as strptime reads them
    ],
)
def test_incident_times_are_read_as_strptime_reads_them(text: str, expected: datetime.datetime | None) -> None:
    errors: list[RowError] = []
    assert _Checker().moment(text, 2, errors) == expected
    assert bool(errors) == (expected is None)
    if expected is None:
        assert errors[0].message == f"Enter the date and time as YYYY-MM-DD HH:MM, not '{text}'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1984-03-02", datetime.date(1984, 3, 2)),
        ("02/03/1984", datetime.date(1984, 3, 2)),
        ("1984-3-2", datetime.date(1984, 3, 2)),
        ("1984-02-30", None),
        ("1984-03-02 10:00", None),
    ],
)
def test_dates_of_birth_are_read_as_strptime_reads_them(text: str, expected: datetime.date | None) -> None:
    errors: list[RowError] = []
    assert _Checker().date(text, 2, "perpetrator_date_of_birth", errors) == expected
    assert bool(errors) == (expected is None)


def test_dates_out_of_bounds_keep_their_messages() -> None:
    errors: list[RowError] = []
    checker = _Checker()
    checker.date("1800-01-01", 2, "victim_date_of_birth", errors)
    checker.moment("1969-12-31 10:00", 3, errors)
    checker.moment(f"{checker.today.year + 1}-01-01 10:00", 4, errors)
    assert [(e.row, e.column, e.message.split(" must")[0]) for e in errors] == [
        (2, "victim_date_of_birth", "The date of birth"),
        (3, "occurred_at", "The incident date"),
        (4, "occurred_at", "The incident date is in the future"),
    ]


def _rows(model: type[Model], leave_out: set[str]) -> list[tuple[Any, ...]]:
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in leave_out]
    return sorted(model._default_manager.values_list(*names), key=repr)


def _written() -> dict[str, list[tuple[Any, ...]]]:
    """Every row the import wrote, without ids, public ids and times, with people and roles named by
    their person's names (their ids differ between runs)."""
    moments = {"id", "public_id", "created_at", "updated_at", "history_id", "history_date"}
    person = {p.pk: (p.given_name, p.family_name) for p in Person.objects.all()}
    perpetrator = {p.pk: person[p.person_id] for p in Perpetrator.objects.all()}
    victim = {v.pk: person[v.person_id] for v in Victim.objects.all()}
    incidents = [
        (*row[:-1], perpetrator[row[-1]])
        for row in Incident.objects.values_list(
            "source_reference",
            "occurred_at",
            "offence_category",
            "is_crime",
            "injury",
            "weapon_used",
            "summary",
            "perpetrator_id",
        )
    ]
    links = [
        (reference, victim[victim_id])
        for reference, victim_id in Incident.victims.through.objects.values_list(
            "incident__source_reference", "victim_id"
        )
    ]
    history = {
        model.__name__: _rows(model.history.model, moments | {"person_id", "perpetrator_id", "area_id"})
        for model in (Person, Perpetrator, Victim, Incident)
    }
    return {
        "people": _rows(Person, moments),
        "incidents": sorted(incidents, key=repr),
        "links": sorted(links),
        "roles": sorted([*(("p", *n) for n in perpetrator.values()), *(("v", *n) for n in victim.values())]),
        **history,
    }


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's")
def test_copy_on_postgresql_writes_the_same_rows_and_history_as_the_portable_path(monkeypatch) -> None:
    north = AreaFactory(name="North")
    AreaFactory(agency=north.agency, name="South")
    AreaFactory(agency=north.agency, name="West")
    analyst = UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)
    written = {}
    for copy in (True, False):
        monkeypatch.setattr(services, "COPY_ON_POSTGRESQL", copy)
        with transaction.atomic():  # each path on the same empty tables
            report = incident_import(actor=analyst, agency=north.agency, content=SAMPLE + AWKWARD, dry_run=False)
            assert report["errors"] == [] and report["created_count"] == 5
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys checked now
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            written[copy] = _written()
            assert Incident.objects.get(source_reference="NP/26/90005").summary == SUMMARY
            history = Incident.history.model.objects.get(source_reference="NP/26/90005")
            assert (history.history_type, history.history_user_id) == ("+", analyst.pk)
            transaction.set_rollback(True)
    assert written[True] == written[False]
    assert len(written[True]["people"]) == 6 and len(written[True]["Incident"]) == 5


@pytest.mark.django_db
def test_the_stored_incidents_are_found_alike_by_one_array_and_by_in_lists() -> None:
    north = AreaFactory(name="North")
    AreaFactory(agency=north.agency, name="South")
    AreaFactory(agency=north.agency, name="West")
    analyst = UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)
    incident_import(actor=analyst, agency=north.agency, content=SAMPLE + AWKWARD, dry_run=False)
    references = [*Incident.objects.values_list("source_reference", flat=True), "NP/26/00000"]
    found = _existing_incidents(references)
    assert found == _existing_incidents(references, portable=True)
    assert len(found) == 5 and sum(len(incident.victim_person_ids) for incident in found.values()) == 3
    assert found["NP/26/90005"].values["summary"] == SUMMARY
