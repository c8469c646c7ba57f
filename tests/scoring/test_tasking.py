import datetime

import pytest
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ApplicationError
from incidents.models import OffenceCategory
from scoring.models import TaskingSnapshot
from scoring.services import tasking_compare, tasking_snapshot_take
from tests.factories import AreaFactory, IncidentFactory, PerpetratorFactory, UserFactory


@pytest.fixture
def north(db):
    return AreaFactory(name="North")


def _offend(perpetrator, area, count, category=OffenceCategory.ABH):
    for _ in range(count):
        IncidentFactory(perpetrator=perpetrator, area=area, offence_category=category)


@pytest.mark.django_db
def test_snapshots_are_compared_month_to_month(north) -> None:
    analyst = UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)
    stays, leaves, arrives = PerpetratorFactory(), PerpetratorFactory(), PerpetratorFactory()
    _offend(stays, north, 3)
    _offend(leaves, north, 2)
    october = tasking_snapshot_take(actor=analyst, area=north, month=datetime.date(2026, 10, 5), top_n=2)
    assert [e.perpetrator for e in october.entries.all()] == [stays, leaves]
    with pytest.raises(ApplicationError, match="already has a tasking list for October 2026"):
        tasking_snapshot_take(actor=analyst, area=north, month=datetime.date(2026, 10, 20), top_n=2)
    _offend(arrives, north, 5)
    stays.incidents.first().delete()  # one fewer incident: the score falls
    november = tasking_snapshot_take(actor=analyst, area=north, month=datetime.date(2026, 11, 1), top_n=2)
    comparison = tasking_compare(november, october)
    assert [e.perpetrator for e in comparison.new] == [arrives]
    assert [e.perpetrator for e in comparison.dropped] == [leaves]
    assert [(now.perpetrator, now.total < before.total) for now, before in comparison.fell] == [(stays, True)]
    assert comparison.rose == []


@pytest.mark.django_db
def test_tasking_pages(north, login) -> None:
    supervisor = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    _offend(PerpetratorFactory(), north, 2)
    client = login(supervisor)
    bad = client.post("/scoring/tasking/", {"area": str(north.public_id), "top_n": "500"})
    assert "Choose between 1 and 100 perpetrators" in bad.content.decode()
    ok = client.post("/scoring/tasking/", {"area": str(north.public_id), "top_n": "10"})
    snapshot = TaskingSnapshot.objects.get()
    assert ok["Location"] == f"/scoring/tasking/{snapshot.public_id}/"
    assert snapshot.month == timezone.localdate().replace(day=1)
    assert "no earlier list" in client.get(ok["Location"]).content.decode()
    partner = UserFactory(area=north, role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    assert login(partner).get(f"/scoring/tasking/{snapshot.public_id}/").status_code == 403
