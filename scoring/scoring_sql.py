"""RFG-V scores for every perpetrator as one set-based SQL statement, for the nightly refresh and
the benchmark. It groups the window's incidents once (frequency, gravity, latest) and their victim
links once (distinct victims), then weighs them: no per-perpetrator subqueries, no Python loop.

`scoring.selectors.perpetrators_ranked` is the ORM form of the same arithmetic, used where a
queryset is needed (opening cases, small lists); tests check that the two agree. Plain SQL (CTEs,
CASE, COUNT DISTINCT) so that it runs on PostgreSQL and SQLite alike.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from dacrre.accounts.models import Agency, Area
from incidents.models import Incident

from .models import ScoringSettings, gravity_table

COLUMNS = ["perpetrator_id", "frequency", "gravity", "victims_count", "latest", "recency_points", "total"]


def _window(
    now: datetime.datetime | None, settings: ScoringSettings | None
) -> tuple[ScoringSettings, datetime.datetime, datetime.datetime]:
    """The settings in force and the look-back window (start, now) they give."""
    settings = settings or ScoringSettings.current()
    now = now or timezone.now()
    return settings, now - datetime.timedelta(days=settings.lookback_days), now


def scores_select_sql(
    *,
    agency: Agency,
    area: Area | None = None,
    now: datetime.datetime | None = None,
    settings: ScoringSettings | None = None,
) -> tuple[str, list[Any]]:
    """A SELECT of COLUMNS, best score first (ties broken by gravity), and its parameters."""
    settings, start, now = _window(now, settings)
    incidents = Incident._meta.db_table
    links = Incident.victims.through._meta.db_table
    params: list[Any] = []
    gravity_cases = []
    for category, weight in gravity_table().items():
        gravity_cases.append("WHEN %s THEN %s")
        params += [category, weight]
    area_filter = ""
    moment = connection.ops.adapt_datetimefield_value  # the backend's own form (SQLite stores text)
    where_params: list[Any] = [agency.pk, moment(start), moment(now)]
    if area is not None:
        area_filter = " AND area_id = %s"
        where_params.append(area.pk)
    params += where_params
    recency_cases = []
    recency_params: list[Any] = []
    for days, points in sorted(settings.recency_bands):
        recency_cases.append("WHEN s.latest >= %s THEN %s")
        recency_params += [moment(now - datetime.timedelta(days=days)), points]
    # Table names come from the models; every value is a parameter.
    sql = f"""
        WITH window_incidents AS (
            SELECT id, perpetrator_id, occurred_at,
                   CASE offence_category {" ".join(gravity_cases)} ELSE 1 END AS weight
            FROM {incidents}
            WHERE recording_agency_id = %s AND occurred_at > %s AND occurred_at <= %s{area_filter}
        ),
        per_perpetrator AS (
            SELECT perpetrator_id, COUNT(*) AS frequency, SUM(weight) AS gravity, MAX(occurred_at) AS latest
            FROM window_incidents GROUP BY perpetrator_id
        ),
        per_victims AS (
            SELECT w.perpetrator_id, COUNT(DISTINCT l.victim_id) AS victims_count
            FROM window_incidents w JOIN {links} l ON l.incident_id = w.id
            GROUP BY w.perpetrator_id
        ),
        scored AS (
            SELECT s.perpetrator_id, s.frequency, s.gravity, COALESCE(v.victims_count, 0) AS victims_count,
                   s.latest, CASE {" ".join(recency_cases)} ELSE 0 END AS recency_points
            FROM per_perpetrator s LEFT JOIN per_victims v ON v.perpetrator_id = s.perpetrator_id
        )
        SELECT perpetrator_id, frequency, gravity, victims_count, latest, recency_points,
               CAST(%s * recency_points + %s * frequency + %s * gravity + %s * victims_count AS DECIMAL(12, 2))
               AS total
        FROM scored
        ORDER BY total DESC, gravity DESC, perpetrator_id
    """  # noqa: S608
    weights = [
        Decimal(settings.weight_recency),
        Decimal(settings.weight_frequency),
        Decimal(settings.weight_gravity),
        Decimal(settings.weight_victims),
    ]
    return sql, params + recency_params + weights


def victim_counts_select_sql(
    *,
    agency: Agency,
    area: Area | None = None,
    now: datetime.datetime | None = None,
    settings: ScoringSettings | None = None,
) -> tuple[str, list[Any]]:
    """A SELECT of (victim_id, incidents): each victim's incidents in the window, whoever the perpetrator."""
    settings, start, now = _window(now, settings)
    moment = connection.ops.adapt_datetimefield_value
    params: list[Any] = [agency.pk, moment(start), moment(now)]
    area_filter = ""
    if area is not None:
        area_filter = " AND i.area_id = %s"
        params.append(area.pk)
    sql = f"""
        SELECT l.victim_id, COUNT(DISTINCT l.incident_id) AS incidents
        FROM {Incident.victims.through._meta.db_table} l JOIN {Incident._meta.db_table} i ON i.id = l.incident_id
        WHERE i.recording_agency_id = %s AND i.occurred_at > %s AND i.occurred_at <= %s{area_filter}
        GROUP BY l.victim_id
    """  # noqa: S608 - table names come from the models; every value is a parameter
    return sql, params
