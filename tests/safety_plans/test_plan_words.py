"""The safety plan in words: a version compared with the one before shows labels and dates as people
write them (seen: "in_place, Sanctuary scheme, 2026-11-20"), an unsaved plan is "not saved yet"
(seen: "Version 0"), and the measures' date column says what its date means."""

import datetime
import re

import pytest

from safety_plans.measures import MEASURE_KEYS
from safety_plans.services import safety_plan_for, safety_plan_save
from safety_plans.views import measure_described
from tests.safety_plans.test_safety_plans import idva_case  # noqa: F401 - the fixture


def _measures(**chosen):
    blank = {"status": "", "owner": "", "due_on": None, "notes": ""}
    return {key: {**blank, **chosen.get(key, {})} for key in MEASURE_KEYS}


def test_a_stored_measure_is_described_in_words() -> None:
    assert measure_described({"status": "in_place", "owner": "Sanctuary scheme", "due_on": "2026-11-20"}) == [
        "In place since 20 Nov 2026",
        "Who: Sanctuary scheme",
    ]
    assert measure_described({"status": "proposed", "owner": "", "due_on": "2026-12-01"}) == [
        "Proposed to be in place by 1 Dec 2026"
    ]
    assert measure_described({"status": "declined", "owner": "", "due_on": ""}) == ["Declined"]
    assert measure_described(None) == measure_described({"status": ""}) == []


@pytest.mark.django_db
def test_the_version_page_compares_in_words(idva_case, login) -> None:  # noqa: F811
    idva, _officer, case, victim = idva_case
    plan = safety_plan_for(case=case, victim=victim)
    due = datetime.date.today() + datetime.timedelta(days=10)
    safety_plan_save(
        actor=idva,
        plan=plan,
        expected_version=0,
        measures=_measures(target_locks={"status": "proposed", "owner": "Sanctuary scheme", "due_on": due}),
    )
    safety_plan_save(
        actor=idva,
        plan=plan,
        expected_version=1,
        measures=_measures(target_locks={"status": "in_place", "owner": "Sanctuary scheme", "due_on": due}),
    )
    client = login(idva)
    base = f"/cases/{case.public_id}/safety-plans/{victim.public_id}"
    page = client.get(f"{base}/versions/2/").content.decode()
    assert f"In place since {due:%-d %b %Y}<br>Who: Sanctuary scheme" in page
    assert f"Proposed to be in place by {due:%-d %b %Y}<br>Who: Sanctuary scheme" in page
    assert "in_place" not in page and due.isoformat() not in page
    assert ">Version 2</th>" in page and ">Version 1</th>" in page
    first = client.get(f"{base}/versions/1/").content.decode()
    assert "The first version: there is none before it to compare with." in first


@pytest.mark.django_db
def test_an_unsaved_plan_is_not_version_0_and_the_date_column_is_explained(idva_case, login) -> None:  # noqa: F811
    idva, _officer, case, victim = idva_case
    page = login(idva).get(f"/cases/{case.public_id}/safety-plans/{victim.public_id}/").content.decode()
    assert "Version 0" not in page and "Not saved yet: the first save makes version 1." in page
    assert re.search(r"When: the date a measure was put in place, or, for a proposed one, the date it should", page)
    assert ">When</th>" in page and ">Date</th>" not in page
