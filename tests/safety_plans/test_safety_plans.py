import datetime
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import RiskLevel
from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ConflictError, PermissionDeniedError
from safety_plans.measures import MEASURE_KEYS
from safety_plans.models import MeasureStatus, SafetyPlan
from safety_plans.services import safety_plan_for, safety_plan_save
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)


def _measures(**statuses):
    return {
        key: {"status": statuses.get(key, ""), "owner": "IDVA", "due_on": None, "notes": ""} for key in MEASURE_KEYS
    }


@pytest.fixture
def idva_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer, risk_level=RiskLevel.HIGH)
    victim = CaseVictimFactory(case=case).victim
    idva_agency = IdvaAgencyFactory()
    grant_case_to(case, idva_agency, shares_victim_contact=True)
    idva = UserFactory(area=AreaFactory(agency=idva_agency), role=Role.IDVA, scope=Scope.AGENCY)
    return idva, officer, case, victim


@pytest.mark.django_db
def test_save_keeps_every_version_and_sets_the_review_date(idva_case) -> None:
    idva, _, case, victim = idva_case
    plan = safety_plan_for(case=case, victim=victim)
    plan = safety_plan_save(
        actor=idva,
        plan=plan,
        expected_version=0,
        measures=_measures(target_locks=MeasureStatus.PROPOSED),
        safe_contact="Safe number 07700 900555",
    )
    plan = safety_plan_save(
        actor=idva,
        plan=plan,
        expected_version=1,
        measures=_measures(target_locks=MeasureStatus.IN_PLACE, silent_999=MeasureStatus.IN_PLACE),
    )
    assert plan.version == 2
    assert plan.review_due == timezone.localdate() + datetime.timedelta(days=28)
    first, second = plan.versions.order_by("number")
    assert first.measures["target_locks"]["status"] == MeasureStatus.PROPOSED
    assert second.measures["target_locks"]["status"] == MeasureStatus.IN_PLACE
    assert first.safe_contact_changed is True and "07700" not in str(first.measures)
    victim.confidential.refresh_from_db()
    assert victim.confidential.safe_contact_arrangements == "Safe number 07700 900555"
    assert case.chronology.filter(kind="safety_plan", visibility="victim_side").count() == 2


@pytest.mark.django_db
def test_the_second_of_two_editors_is_refused_and_nothing_is_lost(idva_case) -> None:
    idva, officer, case, victim = idva_case
    plan = safety_plan_for(case=case, victim=victim)
    safety_plan_save(actor=officer, plan=plan, expected_version=0, measures=_measures(target_locks="in_place"))
    with pytest.raises(ConflictError, match="saved this plan at"):
        safety_plan_save(actor=idva, plan=plan, expected_version=0, measures=_measures(escape_plan="proposed"))
    plan.refresh_from_db()
    assert plan.version == 1
    assert list(plan.measures.values_list("key", flat=True)) == ["target_locks"]


@pytest.mark.django_db
def test_conflict_in_the_browser_keeps_the_typed_text_and_shows_the_saved_plan(idva_case, login) -> None:
    idva, officer, case, victim = idva_case
    plan = safety_plan_for(case=case, victim=victim)
    url = f"/cases/{case.public_id}/safety-plans/{victim.public_id}/"
    form = {
        "version": "0",
        "safe_contact": "Text only after 6pm",
        "escape_plan-status": "proposed",
        "escape_plan-owner": "Sam at the IDVA service",
    }
    safety_plan_save(actor=officer, plan=plan, expected_version=0, measures=_measures(target_locks="in_place"))
    response = login(idva).post(url, form)
    html = response.content.decode()
    assert response.status_code == 409
    assert "saved this plan at" in html
    assert "Sam at the IDVA service" in html and "Text only after 6pm" in html
    assert "Saved now: In place" in html
    form["version"] = "1"
    assert login(idva).post(url, form).status_code == 302
    assert SafetyPlan.objects.get().version == 2


@pytest.mark.django_db
def test_perpetrator_side_agencies_never_see_safety_plans(idva_case, login) -> None:
    idva, officer, case, victim = idva_case
    probation = ProbationAgencyFactory()
    grant_case_to(case, probation, shares_victim_contact=True)
    om = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    with pytest.raises(PermissionDeniedError):
        safety_plan_save(
            actor=om, plan=safety_plan_for(case=case, victim=victim), expected_version=0, measures=_measures()
        )
    client = login(om)
    assert client.get(f"/cases/{case.public_id}/safety-plans/{victim.public_id}/").status_code == 403
    assert "Safety plans" not in client.get(f"/cases/{case.public_id}/").content.decode()


@pytest.mark.django_db
def test_versions_pages_show_what_changed(idva_case, login) -> None:
    idva, _, case, victim = idva_case
    plan = safety_plan_for(case=case, victim=victim)
    safety_plan_save(actor=idva, plan=plan, expected_version=0, measures=_measures(target_locks="proposed"))
    safety_plan_save(actor=idva, plan=plan, expected_version=1, measures=_measures(target_locks="in_place"))
    client = login(idva)
    listing = client.get(f"/cases/{case.public_id}/safety-plans/{victim.public_id}/versions/").content.decode()
    assert "changed Door and window locks" in listing
    page = client.get(f"/cases/{case.public_id}/safety-plans/{victim.public_id}/versions/2/").content.decode()
    assert "In place" in page and "Proposed" in page and "Changed" in page
    assert "in_place" not in page  # stored values are never shown


@pytest.mark.django_db
def test_case_page_queries_constant_as_plans_grow(idva_case, login) -> None:
    idva, officer, case, victim = idva_case
    client = login(officer)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/cases/{case.public_id}/")
    plan = safety_plan_for(case=case, victim=victim)
    for version in range(4):
        safety_plan_save(actor=idva, plan=plan, expected_version=version, measures=_measures(target_locks="proposed"))
    for _ in range(3):
        other = CaseVictimFactory(case=case).victim
        safety_plan_save(
            actor=idva,
            plan=safety_plan_for(case=case, victim=other),
            expected_version=0,
            measures=_measures(escape_plan="in_place"),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(f"/cases/{case.public_id}/")
    assert len(many) == len(few)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_on_postgres_exactly_one_wins() -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    other_officer = UserFactory(area=officer.area)
    plan = safety_plan_for(case=case, victim=victim)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def save(actor, key):
        try:
            barrier.wait(timeout=10)
            safety_plan_save(actor=actor, plan=plan, expected_version=0, measures=_measures(**{key: "in_place"}))
            results.append("saved")
        except ConflictError:
            results.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(officer, "target_locks")),
        threading.Thread(target=save, args=(other_officer, "escape_plan")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "saved"]
    plan.refresh_from_db()
    assert plan.version == 1 and plan.versions.count() == 1 and plan.measures.count() == 1


@pytest.mark.django_db
def test_two_idvas_edit_the_second_keeps_their_text_and_saves_over_the_current_version(idva_case, login) -> None:
    """Issue 15 item 12: after a conflict the form named the stale version, so every retry was another
    409. Now the conflict page keeps the typed text, shows what the other version changed, carries the
    current version, and saving from it replaces that version (recorded on the chronology)."""
    idva, _, case, victim = idva_case
    colleague = UserFactory(
        area=idva.area, role=Role.IDVA, scope=Scope.AGENCY, first_name="Cara", last_name="Colleague"
    )
    url = f"/cases/{case.public_id}/safety-plans/{victim.public_id}/"
    # Both open version 0; the colleague saves first.
    assert 'name="version" value="0"' in login(idva).get(url).content.decode()
    saved = login(colleague).post(
        url, {"version": "0", "safe_contact": "Call after 7pm", "target_locks-status": "in_place"}
    )
    assert saved.status_code == 302
    typed = {
        "version": "0",
        "safe_contact": "Text only after 6pm, code word 'bluebell'",
        "escape_plan-status": "proposed",
        "escape_plan-owner": "Sam at the IDVA service",
    }
    client = login(idva)
    conflict = client.post(url, typed)
    html = conflict.content.decode()
    assert conflict.status_code == 409
    # Their text is kept, beside what the other version changed.
    assert "Sam at the IDVA service" in html and "code word &#x27;bluebell&#x27;" in html
    assert "version 1 by Cara Colleague" in html
    assert "Changed in version 1" in html and "Door and window locks" in html
    assert "Saved now: Call after 7pm" in html
    # The form now names the current version, and says the user is saving over it.
    assert 'name="version" value="1"' in html and 'name="saved_over" value="1"' in html
    assert "Save my version over version 1" in html

    resubmit = {**typed, "version": "1", "saved_over": "1"}
    done = client.post(url, resubmit)
    assert done.status_code == 302
    plan = SafetyPlan.objects.get()
    assert plan.version == 2
    assert list(plan.measures.values_list("key", "status", "owner")) == [
        ("escape_plan", "proposed", "Sam at the IDVA service")
    ]
    victim.confidential.refresh_from_db()
    assert victim.confidential.safe_contact_arrangements == "Text only after 6pm, code word 'bluebell'"
    entry = case.chronology.filter(kind="safety_plan").order_by("-pk").first()
    assert "version 2" in entry.summary
    assert "It replaced version 1, saved by Cara Colleague" in entry.summary
    assert entry.actor == idva


@pytest.mark.django_db
def test_a_third_save_meanwhile_gives_a_fresh_conflict_page_not_a_loop(idva_case, login) -> None:
    """Saving from the conflict page when yet another version came in: a new conflict page naming the
    newest version, never a silent overwrite of a version the user has not seen."""
    idva, officer, case, victim = idva_case
    plan = safety_plan_for(case=case, victim=victim)
    url = f"/cases/{case.public_id}/safety-plans/{victim.public_id}/"
    safety_plan_save(actor=officer, plan=plan, expected_version=0, measures=_measures(target_locks="in_place"))
    client = login(idva)
    typed = {"version": "0", "escape_plan-status": "proposed"}
    assert client.post(url, typed).status_code == 409
    safety_plan_save(actor=officer, plan=plan, expected_version=1, measures=_measures(silent_999="in_place"))
    again = client.post(url, {**typed, "version": "1", "saved_over": "1"})
    assert again.status_code == 409
    html = again.content.decode()
    assert 'name="version" value="2"' in html and "version 2 by" in html
    assert client.post(url, {**typed, "version": "2", "saved_over": "2"}).status_code == 302
    assert SafetyPlan.objects.get().version == 3
