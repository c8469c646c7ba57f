"""Justice outcomes as the people who use them: an officer records arrest, bail and charge on a crime
of the case's perpetrator; an NFA goes to a sergeant's review queue with its task; the victim is owed
an update at each change, given only the way their safe-contact arrangements allow; probation reads
the outcomes but never the victim's updates."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.services import case_open
from dacrre.accounts.models import Role, Scope
from dacrre.core.dates import add_working_days
from dacrre.core.exceptions import ApplicationError, ConflictError, InvalidTransitionError, PermissionDeniedError
from incidents.models import Incident
from incidents.services import incident_import
from justice.models import EventKind, Investigation, InvestigationStatus, JusticeEvent, NfaReview, VictimUpdate
from justice.services import Step, nfa_review_record, outcome_record, victim_update_record
from orders.models import OrderKind, ProtectiveOrder
from oversight.services import cases_reallocate
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.selectors import team_tasks_for
from reminders.sweeps import reminders_reassign
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    IncidentFactory,
    OperationFactory,
    ProbationAgencyFactory,
    UserFactory,
    VictimFactory,
    grant_case_to,
)

TODAY = timezone.localdate


def day(n: int) -> str:
    return (TODAY() + datetime.timedelta(days=n)).strftime("%d/%m/%Y")


@pytest.fixture
def world(db):
    officer = UserFactory(first_name="Olivia", last_name="Officer")
    sergeant = UserFactory(area=officer.area, role=Role.SUPERVISOR, scope=Scope.AREA)
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    crime = IncidentFactory(
        area=officer.area,
        perpetrator=case.perpetrator,
        occurred_at=timezone.now() - datetime.timedelta(days=5),
        source_reference="NP/26/1001",
    )
    crime.victims.add(victim)
    return officer, sergeant, case, victim, crime


def _member(agency, role):
    return UserFactory(area=AreaFactory(agency=agency), agency=agency, role=role, scope=Scope.AGENCY)


def _step(kind: str, days_ago: int = 1, **fields) -> Step:
    return Step(kind=kind, occurred_at=timezone.now() - datetime.timedelta(days=days_ago), **fields)


@pytest.mark.django_db
def test_an_officer_records_arrest_bail_and_charge_and_bail_feeds_the_orders(world, login) -> None:
    officer, _sergeant, case, victim, crime = world
    client = login(officer)
    case_page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert reverse("justice:case", args=[case.public_id]) in case_page
    outcomes_url = reverse("justice:case", args=[case.public_id])
    assert (
        reverse("justice:record", args=[case.public_id, crime.public_id]) in client.get(outcomes_url).content.decode()
    )
    record = reverse("justice:record", args=[case.public_id, crime.public_id])
    response = client.post(
        record, {"kind": "arrest", "occurred_on": day(-2), "occurred_time": "09:15", "by_whom": "PC 1234 Officer"}
    )
    assert response.status_code == 302
    response = client.post(
        record,
        {
            "kind": "bail",
            "occurred_on": day(-2),
            "occurred_time": "18:00",
            "bail_conditions": "Not to contact the victim directly or indirectly.",
            "bail_ends_on": day(26),
            "bail_ends_time": "09:00",
        },
        follow=True,
    )
    assert "Bail with conditions recorded." in response.content.decode()
    bail = ProtectiveOrder.objects.get(case=case)
    assert (
        bail.kind == OrderKind.BAIL
        and bail.ends_time == datetime.time(9)
        and list(bail.protected_victims.all()) == [victim]
    )
    assert JusticeEvent.objects.get(kind=EventKind.BAIL).order == bail  # one record, shown on the orders panel
    assert "Not to contact the victim" in client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    client.post(record, {"kind": "charge", "occurred_on": day(-1)})
    investigation = Investigation.objects.get(incident=crime)
    assert (investigation.status, investigation.outcome_type, investigation.outcome_on) == (
        InvestigationStatus.CHARGED,
        "1",
        TODAY() - datetime.timedelta(days=1),
    )
    # NFA and charge exclude each other; a court outcome needs a charge (it has one now).
    refused = client.post(record, {"kind": "nfa", "occurred_on": day(0), "nfa_outcome": "16", "reason": "Withdrew"})
    assert refused.status_code == 200 and "The crime has been charged" in refused.content.decode()
    assert not JusticeEvent.objects.filter(kind=EventKind.NFA).exists()
    client.post(record, {"kind": "court_outcome", "occurred_on": day(0), "court_result": "guilty_plea"})
    page = client.get(outcomes_url).content.decode()
    assert "Convicted on a guilty plea" in page and "PC 1234 Officer" in page and "1 Charge or summons" in page


@pytest.mark.django_db
def test_transitions_dates_and_who_may_record_are_checked_by_the_service(world) -> None:
    officer, sergeant, case, _victim, crime = world
    with pytest.raises(InvalidTransitionError, match="not been charged"):
        outcome_record(
            actor=officer, case=case, incident=crime, step=_step(EventKind.COURT_OUTCOME, court_result="acquitted")
        )
    with pytest.raises(ApplicationError, match="before the crime"):
        outcome_record(actor=officer, case=case, incident=crime, step=_step(EventKind.ARREST, days_ago=6))
    with pytest.raises(ApplicationError, match="today|future"):
        outcome_record(actor=officer, case=case, incident=crime, step=_step(EventKind.ARREST, days_ago=-1))
    with pytest.raises(InvalidTransitionError, match="referral to the CPS"):
        outcome_record(
            actor=officer, case=case, incident=crime, step=_step(EventKind.CPS_DECISION, cps_decision="charge")
        )
    with pytest.raises(ApplicationError, match="outcome type"):
        outcome_record(
            actor=officer, case=case, incident=crime, step=_step(EventKind.NFA, outcome_type="1", reason="x")
        )
    outcome_record(
        actor=officer, case=case, incident=crime, step=_step(EventKind.OUT_OF_COURT, outcome_type="8")
    )  # a community resolution closes the crime
    with pytest.raises(InvalidTransitionError, match="out-of-court disposal"):
        outcome_record(actor=officer, case=case, incident=crime, step=_step(EventKind.CHARGE))
    probation = _member(ProbationAgencyFactory(), Role.PARTNER_CASEWORKER)
    grant_case_to(case, probation.agency)
    other = IncidentFactory(area=officer.area, perpetrator=case.perpetrator)
    with pytest.raises(PermissionDeniedError):
        outcome_record(actor=probation, case=case, incident=other, step=_step(EventKind.ARREST))
    stranger = IncidentFactory(area=officer.area)  # another perpetrator's crime
    with pytest.raises(ApplicationError, match="this perpetrator"):
        outcome_record(actor=officer, case=case, incident=stranger, step=_step(EventKind.ARREST))


@pytest.mark.django_db
def test_an_nfa_goes_to_the_sergeants_queue_with_its_task_and_a_review_reopens_it(world, login) -> None:
    officer, sergeant, case, _victim, crime = world
    older_case = CaseFactory(area=officer.area, spoc=officer)
    older_crime = IncidentFactory(area=officer.area, perpetrator=older_case.perpetrator)
    outcome_record(
        actor=officer,
        case=older_case,
        incident=older_crime,
        step=_step(EventKind.NFA, outcome_type="15", reason="Evidential difficulties"),
    )
    response = login(officer).post(
        reverse("justice:record", args=[case.public_id, crime.public_id]),
        {"kind": "nfa", "occurred_on": day(0), "nfa_outcome": "16", "reason": "The victim withdrew support."},
    )
    assert response.status_code == 302
    review = NfaReview.objects.get(case=case)
    task = Reminder.objects.get(kind=ReminderKind.NFA_REVIEW_DUE, case=case, status=ReminderStatus.OPEN)
    assert task.subject_key == f"nfa:{review.pk}" and task.assignee is None  # the case's supervisors'
    assert task.due_on == add_working_days(TODAY(), 3) == review.due_on

    # The officer has no queue and cannot review; the sergeant finds it from the team page.
    assert login(officer).get(reverse("justice:nfa_queue")).status_code == 403
    review_url = reverse("justice:nfa_review", args=[case.public_id, review.public_id])
    assert login(officer).post(review_url, {"decision": "upheld", "comments": "Fine"}).status_code == 403
    client = login(sergeant)
    assert reverse("justice:nfa_queue") in client.get(reverse("oversight:team")).content.decode()
    queue = client.get(reverse("justice:nfa_queue")).content.decode()
    assert queue.index(older_case.reference) < queue.index(case.reference)  # oldest first
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("justice:nfa_queue"))
    with CaptureQueriesContext(connection):
        for _ in range(3):
            extra = CaseFactory(area=officer.area, spoc=officer)
            outcome_record(
                actor=officer,
                case=extra,
                incident=IncidentFactory(area=officer.area, perpetrator=extra.perpetrator),
                step=_step(EventKind.NFA, outcome_type="10", reason="Not in the public interest"),
            )
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("justice:nfa_queue"))
    assert len(more) == len(few)  # no query per row

    response = client.post(
        review_url,
        {"decision": "overturned", "referred_to_cps": "on", "comments": "Evidence-led prosecution possible."},
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.reviewer, review.decision, review.referred_to_cps) == (sergeant, "overturned", True)
    investigation = Investigation.objects.get(incident=crime)
    assert investigation.status == InvestigationStatus.ONGOING and investigation.outcome_type == ""
    assert investigation.events.filter(kind=EventKind.CPS_REFERRAL).exists()
    task.refresh_from_db()
    assert task.status == ReminderStatus.DONE
    with pytest.raises(ConflictError, match="already been reviewed"):
        nfa_review_record(actor=sergeant, review=review, decision="upheld", referred_to_cps=False, comments="Again")
    assert case.reference not in client.get(reverse("justice:nfa_queue")).content.decode()


@pytest.mark.django_db
def test_a_sergeant_does_not_review_their_own_nfa_decision(world) -> None:
    _officer, sergeant, case, _victim, crime = world
    outcome_record(
        actor=sergeant, case=case, incident=crime, step=_step(EventKind.NFA, outcome_type="18", reason="No suspect")
    )
    with pytest.raises(PermissionDeniedError, match="Another supervisor"):
        nfa_review_record(
            actor=sergeant, review=NfaReview.objects.get(), decision="upheld", referred_to_cps=False, comments="ok"
        )


@pytest.mark.django_db
def test_the_victim_is_owed_an_update_at_first_contact_and_at_each_change(world, login) -> None:
    officer, _sergeant, case, victim, crime = world
    area = officer.area
    opened = case_open(
        actor=officer,
        operation=OperationFactory(lead_agency=area.agency),
        perpetrator=case.perpetrator,
        owning_agency=area.agency,
        area=area,
        victims=[VictimFactory()],
        spoc=officer,
    )
    first = Reminder.objects.get(case=opened, kind=ReminderKind.VICTIM_CODE_UPDATE_DUE)
    assert first.assignee == officer and first.due_on == add_working_days(TODAY(), 1)

    outcome_record(actor=officer, case=case, incident=crime, step=_step(EventKind.ARREST))
    outcome_record(actor=officer, case=case, incident=crime, step=_step(EventKind.VOLUNTARY_INTERVIEW))
    owed = Reminder.objects.filter(case=case, kind=ReminderKind.VICTIM_CODE_UPDATE_DUE, status=ReminderStatus.OPEN)
    assert [(r.subject_key, r.due_on, r.assignee) for r in owed] == [
        (f"victim:{victim.pk}", add_working_days(TODAY(), 1), officer)
    ]  # one per victim and due date, however many changes that day

    url = reverse("justice:victim_update", args=[case.public_id])
    client = login(officer)
    form = client.get(url).content.decode()
    assert "Safe number after 10am" in form  # the arrangements to follow, shown on the form
    response = client.post(
        url,
        {
            "victim": str(victim.public_id),
            "given_on": day(0),
            "method": "safe_phone",
            "about": "Told of the arrest and interview; no charge decision yet.",
        },
        follow=True,
    )
    assert "Update recorded." in response.content.decode()
    assert not owed.all().exists()  # a fresh query: the update closed it
    update = VictimUpdate.objects.get()
    assert (update.given_by, update.method) == (officer, "safe_phone")
    page = client.get(reverse("justice:case", args=[case.public_id])).content.decode()
    assert "Told of the arrest" in page and "None due." in page

    # Only the way the victim's arrangements allow: none recorded, no update can be recorded.
    victim.confidential.safe_contact_arrangements = ""
    victim.confidential.save()
    with pytest.raises(ApplicationError, match="no safe-contact arrangements"):
        victim_update_record(
            actor=officer, case=case, victim=victim, given_at=timezone.now(), method="safe_phone", about="x"
        )


@pytest.mark.django_db
def test_the_update_owed_moves_with_the_case_to_whoever_may_give_it(world, login) -> None:
    officer, sergeant, case, victim, crime = world
    outcome_record(actor=officer, case=case, incident=crime, step=_step(EventKind.ARREST))
    owed = Reminder.objects.filter(case=case, kind=ReminderKind.VICTIM_CODE_UPDATE_DUE, status=ReminderStatus.OPEN)
    assert [r.assignee for r in owed] == [officer]

    # Leave cover: the new SPOC is told, and gives the update from their task list.
    cover = UserFactory(area=officer.area)
    cases_reallocate(actor=sergeant, cases=[case], field="spoc", to_user=cover, reason="Leave cover")
    assert [r.assignee for r in owed.all()] == [cover]
    tasks = login(cover).get("/tasks/").content.decode()
    assert "update" in tasks.lower() and case.reference in tasks
    assert login(cover).get(reverse("justice:victim_update", args=[case.public_id])).status_code == 200

    # No police SPOC: the case's IDVA, once the victims' contact details are shared with their service.
    idva_service = IdvaAgencyFactory()
    idva = _member(idva_service, Role.IDVA)
    Case.objects.filter(pk=case.pk).update(spoc=None, idva=idva)
    grant_case_to(case, idva_service)
    reminders_reassign(case_ids=[case.pk])
    assert [r.assignee for r in owed.all()] == [None]  # not theirs to give: the sergeant's list
    assert owed.get().pk in set(team_tasks_for(sergeant).values_list("pk", flat=True))
    grant_case_to(case, idva_service, shares_victim_contact=True)
    reminders_reassign(case_ids=[case.pk])
    assert [r.assignee for r in owed.all()] == [idva]
    assert login(idva).get(reverse("justice:victim_update", args=[case.public_id])).status_code == 200


@pytest.mark.django_db
def test_probation_reads_outcomes_but_never_the_victims_updates_and_records_nothing(world, login) -> None:
    officer, _sergeant, case, victim, crime = world
    outcome_record(actor=officer, case=case, incident=crime, step=_step(EventKind.ARREST, by_whom="PC 77"))
    victim_update_record(
        actor=officer, case=case, victim=victim, given_at=timezone.now(), method="in_person", about="Told in person."
    )
    probation = _member(ProbationAgencyFactory(), Role.PARTNER_CASEWORKER)
    grant_case_to(case, probation.agency)
    idva = _member(IdvaAgencyFactory(), Role.IDVA)
    grant_case_to(case, idva.agency, shares_victim_contact=True)

    client = login(probation)
    page = client.get(reverse("justice:case", args=[case.public_id])).content.decode()
    assert "PC 77" in page and "Victims' Code" not in page and "Told in person." not in page
    assert victim.person.full_name not in page
    assert client.get(reverse("justice:record", args=[case.public_id, crime.public_id])).status_code == 403
    assert client.get(reverse("justice:victim_update", args=[case.public_id])).status_code == 403

    idva_client = login(idva)
    idva_page = idva_client.get(reverse("justice:case", args=[case.public_id])).content.decode()
    assert "Told in person." in idva_page and "Record an update given" in idva_page
    assert idva_client.get(reverse("justice:record", args=[case.public_id, crime.public_id])).status_code == 403
    # The IDVA gives the victim the news of the arrest and records it.
    outcome_record(actor=officer, case=case, incident=crime, step=_step(EventKind.VOLUNTARY_INTERVIEW, days_ago=0))
    response = idva_client.post(
        reverse("justice:victim_update", args=[case.public_id]),
        {"victim": str(victim.public_id), "given_on": day(0), "method": "safe_message", "about": "Interview done."},
    )
    assert response.status_code == 302
    assert VictimUpdate.objects.filter(given_by=idva).exists()
    assert not Reminder.objects.filter(
        case=case, kind=ReminderKind.VICTIM_CODE_UPDATE_DUE, status=ReminderStatus.OPEN
    ).exists()


@pytest.mark.django_db
def test_the_outcomes_page_makes_the_same_queries_whatever_the_number_of_crimes(world, login) -> None:
    officer, _sergeant, case, _victim, crime = world
    outcome_record(actor=officer, case=case, incident=crime, step=_step(EventKind.ARREST))
    client = login(officer)
    url = reverse("justice:case", args=[case.public_id])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(4):
        other = IncidentFactory(area=officer.area, perpetrator=case.perpetrator, source_reference=f"NP/26/2{n}")
        outcome_record(actor=officer, case=case, incident=other, step=_step(EventKind.ARREST))
        outcome_record(actor=officer, case=case, incident=other, step=_step(EventKind.CHARGE))
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


IMPORT_HEADER = (
    "source_reference,occurred_at,area,offence_category,perpetrator_police_id,perpetrator_given_name,"
    "perpetrator_family_name,arrested_at,charged_on,outcome_type,outcome_on,nfa_reason"
)


@pytest.mark.django_db
def test_outcomes_come_with_the_incident_extract_all_or_nothing(world) -> None:
    officer, _sergeant, case, _victim, _crime = world
    analyst = UserFactory(area=officer.area, role=Role.ANALYST, scope=Scope.AGENCY)
    person = case.perpetrator.person
    when = (timezone.localtime() - datetime.timedelta(days=20)).strftime("%Y-%m-%d")
    later = (timezone.localtime() - datetime.timedelta(days=18)).strftime("%Y-%m-%d")
    who = f"{person.police_identifier},{person.given_name},{person.family_name}"
    area = officer.area.name
    bad = "\n".join(
        [
            IMPORT_HEADER,
            f"NP/26/5001,{when} 10:00,{area},abh,{who},{later} 11:00,{later},16,{later},",
            f"NP/26/5002,{when} 10:00,{area},abh,{who},,,23,,",
            f"NP/26/5003,{when} 10:00,{area},abh,{who},2020-01-01 10:00,,,,",
        ]
    )
    report = incident_import(actor=analyst, agency=case.owning_agency, content=bad, dry_run=False)
    errors: list = report["errors"]  # type: ignore[assignment]
    found = {(e["row"], e["column"]) for e in errors}
    assert {(2, "charged_on"), (3, "outcome_type"), (3, "outcome_on"), (4, "arrested_at")} <= found
    assert not Incident.objects.filter(source_reference__startswith="NP/26/500").exists()  # nothing imported

    good = "\n".join(
        [
            IMPORT_HEADER,
            f"NP/26/5001,{when} 10:00,{area},abh,{who},{later} 11:00,{later},1,{later},",
            f"NP/26/5002,{when} 10:00,{area},common_assault,{who},{later} 12:00,,16,{later},Victim withdrew",
            f"NP/26/5003,{when} 10:00,{area},harassment,{who},,,,,",
        ]
    )
    report = incident_import(actor=analyst, agency=case.owning_agency, content=good, dry_run=False)
    assert report["errors"] == [] and report["justice"] == 4  # two arrests, a charge, an NFA
    charged = Investigation.objects.get(incident__source_reference="NP/26/5001")
    assert charged.case == case and charged.status == InvestigationStatus.CHARGED
    nfa = Investigation.objects.get(incident__source_reference="NP/26/5002")
    assert nfa.status == InvestigationStatus.NFA and nfa.outcome_type == "16"
    assert NfaReview.objects.filter(event__investigation=nfa).exists()  # every DA NFA is reviewed
    assert not Investigation.objects.filter(incident__source_reference="NP/26/5003").exists()
    again = incident_import(actor=analyst, agency=case.owning_agency, content=good, dry_run=False)
    assert again["justice"] == 0 and JusticeEvent.objects.count() == 4  # an overlapping extract adds nothing
