"""The ranking as a reader meets it: the score explained in words (seen: "homicide_attempt 50"),
names linked to the perpetrator's record where the reader may open it, and pages past the first 100
(seen: the list stopped at "100 shown")."""

import datetime
import re

import pytest
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from incidents.models import OffenceCategory
from scoring.models import PerpetratorScore
from tests.factories import AreaFactory, CaseFactory, PerpetratorFactory, UserFactory


@pytest.fixture
def north(db):
    return AreaFactory(name="North")


def _scores(area, count: int) -> list:
    now = timezone.now()
    perpetrators = [PerpetratorFactory() for _ in range(count)]
    PerpetratorScore.objects.bulk_create(
        PerpetratorScore(
            agency=area.agency,
            area=None,
            perpetrator=perpetrator,
            frequency=1,
            gravity=10,
            victims_count=1,
            latest=now - datetime.timedelta(days=3),
            recency_points=10,
            total=1000 - rank,
            computed_at=now,
        )
        for rank, perpetrator in enumerate(perpetrators)
    )
    return perpetrators


def test_the_score_is_explained_in_words(north, login) -> None:
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA)
    page = login(supervisor).get("/scoring/").content.decode()
    explained = page[page.index("How the score is made") : page.index("</details>")]
    assert "homicide_attempt" not in explained and OffenceCategory.HOMICIDE_ATTEMPT.label in explained
    assert "10 points if the latest incident was within 30 days" in explained
    assert "the number of different victims, multiplied by" in explained


def test_names_link_to_the_record_only_where_the_reader_may_open_it(north, login) -> None:
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AREA)
    with_case, without = _scores(north, 2)
    CaseFactory(area=north, perpetrator=with_case)
    page = login(supervisor).get("/scoring/").content.decode()
    assert f'href="/perpetrators/{with_case.public_id}/">{with_case.person.full_name}</a>' in page
    assert f"/perpetrators/{without.public_id}/" not in page
    assert f'{without.person.full_name}<br><span class="govuk-body-s">No case you can see</span>' in page
    # Every link shown opens.
    client = login(supervisor)
    for href in set(re.findall(r'href="(/perpetrators/[^"]+)"', page)):
        assert client.get(href).status_code == 200


def test_the_ranking_pages_past_the_first_hundred(north, login) -> None:
    analyst = UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)
    perpetrators = _scores(north, 130)
    client = login(analyst)
    first = client.get("/scoring/").content.decode()
    assert "Ranked: 1 to 100 of 130" in first and 'href="?page=2"' in first
    second = client.get("/scoring/?page=2").content.decode()
    assert "Ranked: 101 to 130 of 130" in second
    assert perpetrators[100].person.full_name in second and perpetrators[99].person.full_name not in second
    assert re.search(r">\s*101<span class=\"govuk-visually-hidden\">|<td class=\"govuk-table__cell\">101</td>", second)
    csv = client.get("/scoring/?format=csv").content.decode()
    assert len(csv.strip().splitlines()) == 131  # the download has them all, not one page
