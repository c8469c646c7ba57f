"""Disposal, end to end: a data protection officer disposes of a case through the pages; then every
page, download and API answer about its people is as if they had never existed, the people named by a
kept case stay, and the performance report's figures are unchanged."""

import datetime
import json

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseVictim
from dacrre.audit.models import AccessAction, AccessLog
from documents.models import Document, StoredFileRemoval
from documents.services import stored_files_remove
from people.models import Person
from records.disposal import disposal_plan
from records.models import DisposalRecord
from reports.selectors import Period, performance_report
from tests.records.conftest import ADDRESS


def _figures(world) -> list:
    """The report for the periods the case's records fall in, by area and operation too."""
    today = timezone.localdate()
    opened = timezone.localdate(world.case.opened_at)
    periods = [
        Period(today - datetime.timedelta(days=364), today),
        Period(opened - datetime.timedelta(days=400), opened + datetime.timedelta(days=400)),
        Period(today + datetime.timedelta(days=1), today + datetime.timedelta(days=365)),  # next year: last year is now
    ]
    agency = world.case.owning_agency
    reports = []
    for period in periods:
        for kwargs in ({}, {"area_id": world.area.pk}, {"operation_id": world.case.operation_id}):
            sections = performance_report(agency=agency, period=period, **kwargs)
            reports.append([(s.title, [(r.label, r.this, r.last) for r in s.rows]) for s in sections])
    return reports


def _pages_of(world) -> dict[str, str]:
    """Every page about the case's records and people, for those who could open them before."""
    case, r = world.case, world.records
    pages = {
        "case": reverse("cases:detail", args=[case.public_id]),
        "perpetrator": reverse("perpetrators:detail", args=[world.perpetrator.public_id]),
        "victim": reverse("victims:detail", args=[world.victim.public_id]),
        "visit": reverse("visits:detail", args=[case.public_id, r["visit"].public_id]),
        "assessment": reverse("risk:detail", args=[case.public_id, r["assessment"].public_id]),
        "plan": reverse("safety_plans:plan", args=[case.public_id, world.victim.public_id]),
        "order": reverse("orders:detail", args=[case.public_id, r["order"].public_id]),
        "disclosure": reverse("disclosures:detail", args=[case.public_id, r["disclosure"].public_id]),
        "referral": reverse("referrals:detail", args=[r["referral"].public_id]),
        "note": reverse("notes:detail", args=[case.public_id, r["note"].public_id]),
        "notes": reverse("notes:list", args=[case.public_id]),
        "summary": reverse("casefile:summary", args=[case.public_id]),
        "stalking screening": reverse("risk:stalking_detail", args=[case.public_id, r["screening"].public_id]),
        "equipment": reverse("equipment:issue", args=[case.public_id, r["equipment"].public_id]),
        "programme": reverse(
            "offender_management:programme", args=[world.perpetrator.public_id, r["allocation"].public_id]
        ),
        "api case": reverse("api:case-detail", args=[case.public_id]),
        "api person": reverse("api:person-detail", args=[world.victim.person.public_id]),
        "api visit": reverse("api:visit-detail", args=[r["visit"].public_id]),
        "api referral": reverse("api:referral-detail", args=[r["referral"].public_id]),
    }
    for number, document in enumerate(r["documents"]):
        for name in ("detail", "preview", "download") if document.previewable else ("detail", "download"):
            pages[f"document {number} {name}"] = reverse(f"documents:{name}", args=[document.public_id])
    return pages


def _lists_of(world) -> list[str]:
    """Lists and searches that named the case or its people."""
    person = world.perpetrator.person
    return [
        reverse("cases:caseload"),
        reverse("cases:list"),
        reverse("cases:list") + f"?q={person.family_name}",
        reverse("cases:list") + f"?q={world.case.reference}",
        reverse("cases:list") + "?format=csv",
        reverse("meetings:detail", args=[world.records["meeting"].public_id]),
        reverse("referrals:inbox"),
        reverse("reminders:my_tasks"),
        reverse("victims:detail", args=[world.shared_victim.public_id]),
        reverse("api:case-list"),
        reverse("api:person-list") + f"?search={person.family_name}",
        reverse("api:referral-list"),
        reverse("api:visit-list"),
        reverse("search:results") + f"?q={person.family_name}",
        reverse("search:results") + "?q=Pemberforth",
        reverse("search:results") + f"?q={world.case.reference}",
        reverse("equipment:register"),
    ]


def _content(response) -> str:
    return response.content.decode(errors="replace")


@pytest.mark.django_db
def test_a_disposed_case_and_its_people_are_as_if_they_never_existed(login, client, records_world) -> None:
    w = records_world
    secrets = [w.case.reference, "Quarrington", "Pemberforth", "Xavier", ADDRESS, "Brackenfold"]
    # Before: the officer (the case's SPOC) reaches every page.
    login(w.officer)
    pages = _pages_of(w)
    before = {name: client.get(url).status_code for name, url in pages.items()}
    assert set(before.values()) == {200}, {name: code for name, code in before.items() if code != 200}
    assert w.case.reference in _content(client.get(reverse("cases:list")))
    figures_before = _figures(w)
    satisfaction = dict(figures_before[0])["Victim satisfaction (% satisfied by aspect)"]
    assert satisfaction[0] == ("Satisfaction surveys answered", 1, 0)  # the survey counts before disposal
    stored = [document.storage_name for document in w.records["documents"]]
    assert all(default_storage.exists(name) for name in stored)

    # The data protection officer reviews the case, confirms, and disposes of it.
    dpo = login(w.dpo)
    queue = _content(dpo.get(reverse("records:reviews")))
    assert reverse("records:review", args=[w.case.public_id]) in queue
    review = _content(dpo.get(reverse("records:review", args=[w.case.public_id])))
    assert "Zebedee Quarrington" in review and "Wilhelmina Stayput" in review
    assert "is named in another case" in review  # the shared victim stays
    confirm = _content(dpo.get(reverse("records:dispose", args=[w.case.public_id])))
    assert "This cannot be undone" in confirm
    response = dpo.post(
        reverse("records:dispose", args=[w.case.public_id]),
        {"reason": "Review period passed; no incident or contact since closure."},
    )
    record = DisposalRecord.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("records:disposal", args=[record.public_id])
    shown = _content(dpo.get(response["Location"]))
    assert f"Case {w.case.reference} disposed of" in shown

    # Gone from the database, their past versions too; the shared victim and the kept case stay.
    assert not Case.objects.filter(pk=w.case.pk).exists()
    for person in (w.perpetrator.person, w.victim.person, w.child.person):
        assert not Person.objects.filter(pk=person.pk).exists()
        assert not Person.history.filter(id=person.pk).exists()
    assert Case.objects.filter(pk=w.kept_case.pk).exists()
    assert CaseVictim.objects.filter(case=w.kept_case, victim=w.shared_victim).exists()
    assert Person.objects.filter(pk=w.shared_victim.person.pk).exists()
    assert not Document.objects.exists()
    assert StoredFileRemoval.objects.count() == 3
    assert stored_files_remove() == 3  # the job, which runs after the disposal commits
    assert not any(default_storage.exists(name) for name in stored)
    assert not StoredFileRemoval.objects.exists()

    # The disposal record: what, when, who, why; nobody's name.
    assert record.case_reference == w.case.reference and record.disposed_by == w.dpo
    assert record.people_removed == 3 and record.people_kept == 1 and record.files_removed == 3
    assert record.removed["Visits"] == 2 and record.removed["Documents"] == 3
    flat = json.dumps([record.reason, record.removed, record.schedule_rule])
    assert not any(name in flat for name in ("Quarrington", "Pemberforth", "Xavier", "Stayput"))
    erased = AccessLog.objects.filter(action=AccessAction.ERASE)
    assert erased.filter(object_type="case", case_reference=w.case.reference, user=w.dpo).exists()
    assert set(erased.filter(object_type="person").values_list("person_id", flat=True)) == {
        str(p.public_id) for p in (w.perpetrator.person, w.victim.person, w.child.person)
    }

    # Every page, download and API answer as if they had never existed, for everyone who had them.
    for user in (w.officer, w.supervisor, w.idva):
        client = login(user)
        for name, url in pages.items():
            assert client.get(url).status_code == 404, (user.role, name)
        for url in _lists_of(w):
            text = _content(client.get(url))
            for secret in secrets:
                if f"q={secret}" in url or f"search={secret}" in url:
                    assert (
                        "No cases" in text
                        or '"count":0' in text
                        or "No results for" in text
                        or secret not in text.split("</form>", 1)[-1]
                    )
                    continue  # the search box shows what was typed
                assert secret not in text, (user.role, url, secret)
    dpo = login(w.dpo)
    assert dpo.get(reverse("records:review", args=[w.case.public_id])).status_code == 404
    assert w.case.reference not in _content(dpo.get(reverse("records:reviews")))
    search = _content(dpo.get(reverse("records:subject_access") + "?q=Quarrington"))
    assert "0 people found" in search

    # The figures are unchanged.
    assert _figures(w) == figures_before
    from experience.models import SatisfactionSurvey

    assert not SatisfactionSurvey.objects.filter(pk=w.records["survey"].pk).exists()


@pytest.mark.django_db
def test_the_plan_keeps_a_victim_named_in_another_perpetrators_incident(records_world) -> None:
    from tests.factories import IncidentFactory

    w = records_world
    other = IncidentFactory(area=w.area)  # another perpetrator's incident names the victim
    other.victims.add(w.victim)
    plan = disposal_plan(w.case)
    fates = {fate.person.pk: fate for fate in plan.people}
    assert not fates[w.victim.person.pk].removed
    assert "incident of another perpetrator" in fates[w.victim.person.pk].kept_because
    assert fates[w.perpetrator.person.pk].removed and fates[w.child.person.pk].removed


@pytest.mark.django_db
def test_a_perpetrator_with_another_case_is_kept_with_everything_of_theirs(records_world) -> None:
    from tests.factories import CaseFactory

    w = records_world
    CaseFactory(area=w.area, perpetrator=w.perpetrator)
    plan = disposal_plan(w.case)
    fates = {fate.person.pk: fate for fate in plan.people}
    assert not fates[w.perpetrator.person.pk].removed
    assert fates[w.perpetrator.person.pk].kept_because.startswith("is")
    from perpetrators.models import Perpetrator

    assert w.perpetrator.pk not in plan.rows.get(Perpetrator, set())
