import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from incidents.models import OffenceCategory
from scoring.models import GravityWeight, ScoringSettings
from scoring.selectors import perpetrators_ranked, victims_repeat_counts
from scoring.services import scores_refresh
from tests.factories import AreaFactory, IncidentFactory, PerpetratorFactory, UserFactory, VictimFactory

NOW = timezone.make_aware(datetime.datetime(2026, 11, 1, 12, 0))


def _incident(perpetrator, area, days_ago, category, victims=()):
    incident = IncidentFactory(
        perpetrator=perpetrator,
        area=area,
        occurred_at=NOW - datetime.timedelta(days=days_ago),
        offence_category=category,
    )
    incident.victims.set(victims)
    return incident


@pytest.fixture
def force(db):
    north = AreaFactory(name="North")
    return north, AreaFactory(agency=north.agency, name="South")


@pytest.mark.django_db
def test_scores_match_hand_computed_examples(force) -> None:
    north, south = force
    victim_a, victim_b = VictimFactory(), VictimFactory()
    serial = PerpetratorFactory()
    _incident(serial, north, 10, OffenceCategory.ABH, [victim_a])  # gravity 15
    _incident(serial, north, 100, OffenceCategory.STRANGULATION, [victim_b])  # gravity 30
    _incident(serial, north, 400, OffenceCategory.GBH, [victim_a])  # outside the 365-day window
    repeat = PerpetratorFactory()
    _incident(repeat, south, 200, OffenceCategory.COMMON_ASSAULT, [victim_a])  # gravity 6
    _incident(repeat, south, 250, OffenceCategory.COMMON_ASSAULT, [victim_a])  # gravity 6
    rows: dict[int, Any] = {p.pk: p for p in perpetrators_ranked(agency=north.agency, now=NOW)}
    # serial: recency 10 (latest 10 days ago) + 5×2 incidents + 1×45 gravity + 10×2 victims = 85
    s = rows[serial.pk]
    assert (s.recency_points, s.frequency, s.gravity, s.victims_count, s.total) == (10, 2, 45, 2, Decimal("85"))
    # repeat: recency 1 (latest 200 days ago) + 5×2 + 12 + 10×1 = 33
    r = rows[repeat.pk]
    assert (r.recency_points, r.frequency, r.gravity, r.victims_count, r.total) == (1, 2, 12, 1, Decimal("33"))
    assert [p.pk for p in perpetrators_ranked(agency=north.agency, now=NOW)] == [serial.pk, repeat.pk]
    assert [p.pk for p in perpetrators_ranked(agency=north.agency, area=south, now=NOW)] == [repeat.pk]


@pytest.mark.django_db
def test_weights_window_and_gravity_table_are_configurable(force) -> None:
    north, _ = force
    perpetrator = PerpetratorFactory()
    _incident(perpetrator, north, 50, OffenceCategory.STALKING, [VictimFactory()])
    settings = ScoringSettings.objects.create(
        lookback_days=40,
        weight_recency=2,
        weight_frequency=1,
        weight_gravity=0,
        weight_victims=0,
        recency_bands=[[60, 3]],
    )
    assert list(perpetrators_ranked(agency=north.agency, now=NOW, settings=settings)) == []
    settings.lookback_days = 90
    GravityWeight.objects.create(offence_category=OffenceCategory.STALKING, weight=99)
    row: Any = perpetrators_ranked(agency=north.agency, now=NOW, settings=settings).get()
    assert (row.gravity, row.total) == (99, Decimal("7"))  # 2×3 + 1×1


@pytest.mark.django_db
def test_ties_are_broken_by_gravity(force) -> None:
    north, _ = force
    settings = ScoringSettings.objects.create(
        weight_recency=0, weight_frequency=1, weight_gravity=0, weight_victims=0, recency_bands=[[30, 1]]
    )
    light, heavy = PerpetratorFactory(), PerpetratorFactory()
    _incident(light, north, 5, OffenceCategory.PUBLIC_ORDER)
    _incident(heavy, north, 5, OffenceCategory.GBH)
    assert list(perpetrators_ranked(agency=north.agency, now=NOW, settings=settings)) == [heavy, light]


@pytest.mark.django_db
def test_analysts_see_the_scores_and_partners_do_not(force, login) -> None:
    north, _ = force
    _incident(PerpetratorFactory(), north, 5, OffenceCategory.ABH)
    analyst = UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)
    client = login(analyst)
    assert "Scores have not been computed yet" in client.get("/scoring/").content.decode()
    client.post("/scoring/refresh/")
    page = client.get("/scoring/")
    assert page.status_code == 200 and "Ranked: 1 to 1 of 1" in page.content.decode()
    for role in (Role.PARTNER_CASEWORKER, Role.IDVA, Role.OFFICER):
        assert login(UserFactory(area=north, role=role)).get("/scoring/").status_code == 403


@pytest.mark.django_db
def test_the_ranking_is_one_query_whatever_the_number_of_people(force, login) -> None:
    north, _ = force
    analyst = UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)
    client = login(analyst)
    _incident(PerpetratorFactory(), north, 5, OffenceCategory.ABH, [VictimFactory()])
    scores_refresh(agency=north.agency)
    with CaptureQueriesContext(connection) as few:
        client.get("/scoring/")
    for days in range(15):
        _incident(PerpetratorFactory(), north, days + 1, OffenceCategory.ABH, [VictimFactory()])
    scores_refresh(agency=north.agency)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/scoring/")
    assert "Ranked: 1 to 16 of 16" in response.content.decode()
    assert len(many) == len(few)


@pytest.mark.django_db
def test_stored_scores_match_the_live_ranking_per_area(force) -> None:
    north, south = force
    first, second = PerpetratorFactory(), PerpetratorFactory()
    victim_a, victim_b = VictimFactory(), VictimFactory()
    _incident(first, north, 3, OffenceCategory.GBH, [victim_a, victim_b])
    _incident(first, north, 120, OffenceCategory.STALKING, [victim_a])
    _incident(second, south, 3, OffenceCategory.ABH)
    assert scores_refresh(agency=north.agency) == 4  # two across all areas, one in each area
    from scoring.models import PerpetratorScore

    fields = ("frequency", "gravity", "victims_count", "recency_points", "total")
    stored = {
        (s.area_id, s.perpetrator_id): tuple(getattr(s, f) for f in fields) for s in PerpetratorScore.objects.all()
    }
    live = {p.pk: tuple(getattr(p, f) for f in fields) for p in perpetrators_ranked(agency=north.agency)}
    assert stored[(None, first.pk)] == live[first.pk] and stored[(north.pk, first.pk)] == live[first.pk]
    assert (south.pk, first.pk) not in stored
    assert scores_refresh(agency=north.agency) == 4  # replaced, not added


@pytest.mark.django_db
def test_victims_repeat_victimisation_is_counted_per_perpetrator_and_overall(force, login) -> None:
    north, south = force
    dana, erin = VictimFactory(person__given_name="Dana"), VictimFactory(person__given_name="Erin")
    serial, other = PerpetratorFactory(), PerpetratorFactory()
    _incident(serial, north, 5, OffenceCategory.ABH, [dana])
    _incident(serial, north, 50, OffenceCategory.ABH, [dana])
    _incident(serial, south, 60, OffenceCategory.ABH, [erin])
    _incident(other, north, 70, OffenceCategory.ABH, [dana])
    _incident(serial, north, 500, OffenceCategory.ABH, [dana])  # outside the window
    scores_refresh(agency=north.agency)  # stores each victim's count by anyone
    counts = victims_repeat_counts(agency=north.agency, perpetrator_ids=[serial.pk, other.pk], now=NOW)
    assert [(v.name.split()[0], v.with_this_perpetrator, v.with_anyone) for v in counts[serial.pk]] == [
        ("Dana", 2, 3),
        ("Erin", 1, 1),
    ]
    assert [(v.with_this_perpetrator, v.with_anyone) for v in counts[other.pk]] == [(1, 3)]
    in_south = victims_repeat_counts(agency=north.agency, perpetrator_ids=[serial.pk], area=south, now=NOW)
    assert [v.name.split()[0] for v in in_south[serial.pk]] == ["Erin"]

    analyst = UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)
    page = login(analyst).get("/scoring/").content.decode()
    assert f'{dana.person.full_name}: 2 (3) <strong class="govuk-tag govuk-tag--orange">Repeat victim' in page
