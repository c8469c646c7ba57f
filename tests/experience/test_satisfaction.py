"""Victim satisfaction, as the people who use it: the SPOC asks the victim through their safe
contact and records the answers; an IDVA records that a victim declined; probation never sees any of
it; the survey falls due 28 days after the victim was first seen; the report's % satisfied per
aspect, worked out by hand."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from dacrre.core.exceptions import ConflictError
from experience.figures import LOW, NORMAL, SURVEY_ANSWERED, percent, satisfaction_section, status
from experience.models import Aspect, SatisfactionSurvey, SatisfactionThreshold, SurveyOutcome
from experience.services import survey_record
from reminders.models import Reminder, ReminderKind, ReminderStatus
from reminders.sweeps import reminders_sweep
from reports.figures import case_figures_keep
from reports.models import KeptFigure
from reports.selectors import Period
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)
from victims.models import VictimConfidential
from visits.models import Visit, VisitOutcome, VisitStatus

TODAY = timezone.localdate
ANSWERS = {
    "ease_of_contact": "completely_satisfied",
    "actions_taken": "fairly_satisfied",
    "progress_updates": "fairly_dissatisfied",
    "treatment_by_staff": "very_satisfied",
    "whole_experience": "declined",
}


@pytest.fixture
def world(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = CaseVictimFactory(case=case).victim
    idva_service = IdvaAgencyFactory()
    probation = ProbationAgencyFactory()
    grant_case_to(case, idva_service, shares_victim_contact=True)
    grant_case_to(case, probation)
    idva = UserFactory(area=AreaFactory(agency=idva_service), role=Role.IDVA, scope=Scope.AGENCY)
    probation_officer = UserFactory(
        area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY
    )
    case.idva = idva
    case.save(update_fields=["idva"])
    return officer, case, victim, idva, probation_officer


def _seen(case, victim, recorder, days_ago: int) -> None:
    Visit.objects.create(
        case=case,
        victim=victim,
        status=VisitStatus.COMPLETED,
        occurred_at=timezone.now() - datetime.timedelta(days=days_ago),
        outcome=VisitOutcome.SEEN,
        recorded_by=recorder,
    )


def test_the_spoc_asks_through_the_safe_contact_and_records_the_answers(world, login) -> None:
    officer, case, victim, _idva, _probation = world
    VictimConfidential.objects.filter(victim=victim).update(
        safe_contact_arrangements="Mobile 07700 900123 after 6pm, code word 'tulip'"
    )
    client = login(officer)
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    url = reverse("experience:survey", args=[case.public_id, victim.public_id])
    assert "Victim satisfaction" in page and url in page
    form = client.get(url).content.decode()
    assert "code word &#x27;tulip&#x27;" in form and "Nothing is sent to the victim" in form
    data = {"outcome": "answered", "method": "phone", "surveyed_on": TODAY().strftime("%d/%m/%Y"), **ANSWERS}
    data["form_token"] = "0b0d7e6c-6c58-4b8e-9d43-3f2c6f1a1f10"
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.public_id])
    survey = SatisfactionSurvey.objects.get(case=case, victim=victim)
    assert (survey.outcome, survey.progress_updates, survey.whole_experience, survey.recorded_by) == (
        "answered",
        "fairly_dissatisfied",
        "declined",
        officer,
    )
    again = client.post(url, data, follow=True).content.decode()
    assert "already saved" in again and SatisfactionSurvey.objects.count() == 1
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Progress Updates: Fairly dissatisfied" in page and "Record the satisfaction survey" not in page


def test_without_safe_contact_the_page_says_so_and_an_answer_is_needed_per_aspect(world, login) -> None:
    officer, case, victim, _idva, _probation = world
    VictimConfidential.objects.filter(victim=victim).update(safe_contact_arrangements="")
    client = login(officer)
    url = reverse("experience:survey", args=[case.public_id, victim.public_id])
    assert "No safe-contact arrangements are recorded" in client.get(url).content.decode()
    data = {"outcome": "answered", "method": "in_person", "surveyed_on": TODAY().strftime("%d/%m/%Y")}
    page = client.post(url, data).content.decode()
    assert "Choose an answer for Ease of Contact" in page and not SatisfactionSurvey.objects.exists()


def test_the_idva_records_a_refusal_and_probation_sees_nothing(world, login) -> None:
    _officer, case, victim, idva, probation_officer = world
    url = reverse("experience:survey", args=[case.public_id, victim.public_id])
    client = login(idva)
    data = {"outcome": "declined", "method": "in_person", "surveyed_on": TODAY().strftime("%d/%m/%Y")}
    assert client.post(url, data).status_code == 302
    assert SatisfactionSurvey.objects.get().outcome == SurveyOutcome.DECLINED
    client = login(probation_officer)
    assert client.get(url).status_code == 403
    assert "Victim satisfaction" not in client.get(reverse("cases:detail", args=[case.public_id])).content.decode()


def test_two_recorders_cannot_both_save(world) -> None:
    officer, case, victim, idva, _probation = world
    survey_record(actor=officer, case=case, victim=victim, outcome="declined", method="phone", surveyed_on=TODAY())
    with pytest.raises(ConflictError):
        survey_record(actor=idva, case=case, victim=victim, outcome="declined", method="phone", surveyed_on=TODAY())


def test_the_survey_is_due_28_days_after_the_victim_was_first_seen_and_closed_by_recording_it(world) -> None:
    officer, case, victim, idva, _probation = world
    case.risk_level = "high"
    case.save(update_fields=["risk_level"])
    _seen(case, victim, officer, days_ago=20)  # due in 8 days: more than the 3 days' notice
    reminders_sweep()
    assert not Reminder.objects.filter(kind=ReminderKind.SATISFACTION_SURVEY_DUE).exists()
    _seen(case, victim, officer, days_ago=26)  # the first sighting decides: due in 2 days
    reminders_sweep()
    reminder = Reminder.objects.get(kind=ReminderKind.SATISFACTION_SURVEY_DUE)
    assert reminder.due_on == TODAY() + datetime.timedelta(days=2)
    assert (reminder.assignee, reminder.subject_key) == (idva, f"victim:{victim.pk}")  # the IDVA, as a review
    assert not reminder.high_risk  # not safety work: in the digest, not e-mailed at once
    survey_record(actor=idva, case=case, victim=victim, outcome="declined", method="phone", surveyed_on=TODAY())
    reminder.refresh_from_db()
    assert reminder.status == ReminderStatus.DONE
    reminders_sweep()
    assert Reminder.objects.filter(kind=ReminderKind.SATISFACTION_SURVEY_DUE).count() == 1


# The report, by hand. Thresholds: Ease of Contact 70, Actions Taken 80, Progress Updates 50,
# Treatment by Staff 90, Whole Experience 60.
PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
C, V, F, N = "completely_satisfied", "very_satisfied", "fairly_satisfied", "neither"
FD, VD, D = "fairly_dissatisfied", "very_dissatisfied", "declined"
THIS_PERIOD = [  # ease, actions, progress, treatment, whole
    (C, V, FD, C, N),
    (F, D, VD, V, F),
    (N, V, F, C, V),
]
LAST_YEAR = [(C, C, C, C, C), (VD, F, N, F, FD)]


def _survey(case, victim, recorder, on: datetime.date, answers=None) -> None:
    fields = dict(zip(Aspect.values, answers, strict=True)) if answers else {}
    SatisfactionSurvey.objects.create(
        case=case,
        victim=victim,
        outcome="answered" if answers else "declined",
        method="phone",
        surveyed_on=on,
        recorded_by=recorder,
        **fields,
    )


def test_percent_satisfied_per_aspect_with_its_status_worked_out_by_hand(db) -> None:
    officer = UserFactory()
    north = officer.area
    force = north.agency
    SatisfactionThreshold.objects.create(
        agency=force,
        ease_of_contact=70,
        actions_taken=80,
        progress_updates=50,
        treatment_by_staff=90,
        whole_experience=60,
    )
    case = CaseFactory(area=north)
    for answers, on in [
        *((a, datetime.date(2026, 2, 1)) for a in THIS_PERIOD),
        (None, datetime.date(2026, 3, 1)),  # declined
        *((a, datetime.date(2025, 2, 1)) for a in LAST_YEAR),
        ((VD,) * 5, datetime.date(2026, 4, 1)),  # after the period: not counted
    ]:
        _survey(case, CaseVictimFactory(case=case).victim, officer, on, answers)
    elsewhere = CaseFactory(area=AreaFactory(agency=force))  # the same force, another area
    _survey(elsewhere, CaseVictimFactory(case=elsewhere).victim, officer, datetime.date(2026, 2, 1), (VD,) * 5)
    other_force = CaseFactory()
    _survey(other_force, CaseVictimFactory(case=other_force).victim, officer, datetime.date(2026, 2, 1), (C,) * 5)

    with CaptureQueriesContext(connection) as queries:
        section = satisfaction_section(agency=force, period=PERIOD, area_id=north.pk)
    assert len(queries) == 3
    rows = {row.label.split(":")[0]: row for row in section.rows}
    assert (rows["Satisfaction surveys answered"].this, rows["Satisfaction surveys answered"].last) == (3, 2)
    assert (
        rows["Satisfaction surveys declined by the victim"].this,
        rows["Satisfaction surveys declined by the victim"].last,
    ) == (1, 0)
    # Ease of Contact: this period completely, fairly, neither = 2 of 3 = 67% (Low, below 70);
    # last year completely, very dissatisfied = 1 of 2 = 50% (Low).
    ease = rows["Ease of Contact"]
    assert (ease.this, ease.last, ease.difference, ease.percent_change) == (67, 50, 17, None)
    assert "% satisfied, Low (2 of 3 answers; Low below 70%; same period last year Low, 1 of 2)" in ease.label
    # Actions Taken: very, (did not want to answer: not counted), very = 2 of 2 = 100% (Normal).
    assert (rows["Actions Taken"].this, rows["Actions Taken"].last) == (100, 100)
    assert ", Normal (2 of 2 answers" in rows["Actions Taken"].label
    # Progress Updates: fairly dissatisfied, very dissatisfied, fairly = 1 of 3 = 33% (Low, below 50);
    # last year completely, neither = 1 of 2 = 50%: at the threshold is Normal.
    assert (rows["Progress Updates"].this, rows["Progress Updates"].last) == (33, 50)
    assert (
        ", Low (1 of 3" in rows["Progress Updates"].label
        and "last year Normal, 1 of 2" in rows["Progress Updates"].label
    )
    # Treatment by Staff: 3 of 3, and 2 of 2: Normal both.
    assert (rows["Treatment by Staff"].this, rows["Treatment by Staff"].last) == (100, 100)
    # Whole Experience: neither, fairly, very = 2 of 3 = 67% (Normal, 60); last year 1 of 2 = 50% (Low).
    whole = rows["Whole Experience"]
    assert (whole.this, whole.last) == (67, 50)
    assert ", Normal (2 of 3" in whole.label and "last year Low, 1 of 2" in whole.label

    # The whole force: the other area's survey (very dissatisfied on all five) counts too.
    force_wide = {r.label.split(":")[0]: r for r in satisfaction_section(agency=force, period=PERIOD).rows}
    assert force_wide["Ease of Contact"].this == 50  # 2 of 4

    # The case is disposed of: its surveys go, the figures stay.
    assert case_figures_keep(case) == KeptFigure.objects.count()
    assert KeptFigure.objects.filter(metric=SURVEY_ANSWERED, case_reference=case.reference).exists()
    SatisfactionSurvey.objects.filter(case=case).delete()
    after = {
        r.label: (r.this, r.last) for r in satisfaction_section(agency=force, period=PERIOD, area_id=north.pk).rows
    }
    assert after == {r.label: (r.this, r.last) for r in section.rows}
    assert not KeptFigure.objects.filter(label__icontains="satisfied").exists()  # counts, never answers


def test_status_and_rounding(db) -> None:
    assert (percent(2, 3), percent(1, 8), percent(0, 0)) == (67, 13, 0)  # 12.5 rounds up
    assert status(4, 5, 80) == NORMAL and status(3, 4, 80) == LOW and status(0, 0, 80) == "no answers"
    assert SatisfactionThreshold.for_agency(0).whole_experience == 80  # the default


def test_the_report_page_shows_the_section(db, login) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area)
    _survey(case, CaseVictimFactory(case=case).victim, officer, datetime.date(2026, 2, 1), (C,) * 5)
    supervisor = UserFactory(area=officer.area, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    page = login(supervisor).get("/reports/?start=1/1/2026&end=31/3/2026").content.decode()
    assert "Victim satisfaction (% satisfied by aspect)" in page
    assert "Whole Experience: % satisfied, Normal (1 of 1 answers" in page


def test_a_supervisor_sets_the_forces_thresholds_and_the_report_uses_them(db, login) -> None:
    officer = UserFactory()
    case = CaseFactory(area=officer.area)
    # 3 of 4 satisfied on every aspect: 75%, Normal below a threshold of 75, Low above it.
    for answers in [(C,) * 5, (V,) * 5, (F,) * 5, (FD,) * 5]:
        _survey(case, CaseVictimFactory(case=case).victim, officer, datetime.date(2026, 2, 1), answers)
    supervisor = UserFactory(area=officer.area, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    client = login(supervisor)
    report = "/reports/?start=1/1/2026&end=31/3/2026"
    assert reverse("experience:thresholds") in client.get(report).content.decode()
    assert 'value="80"' in client.get(reverse("experience:thresholds")).content.decode()  # the default
    values = dict.fromkeys(Aspect.values, "75") | {"whole_experience": "76"}
    assert client.post(reverse("experience:thresholds"), values).status_code == 302
    page = client.get(report).content.decode()
    assert "Whole Experience: % satisfied, Low (3 of 4 answers; Low below 76%" in page
    assert "Ease of Contact: % satisfied, Normal (3 of 4 answers; Low below 75%" in page
    bad = client.post(reverse("experience:thresholds"), values | {"actions_taken": "101"}).content.decode()
    assert "Enter a percentage from 0 to 100" in bad
    assert SatisfactionThreshold.objects.get(agency=officer.area.agency).actions_taken == 75
    assert login(officer).get(reverse("experience:thresholds")).status_code == 403
    analyst = UserFactory(area=officer.area, role=Role.ANALYST, scope=Scope.AGENCY)
    assert login(analyst).get(reverse("experience:thresholds")).status_code == 403
