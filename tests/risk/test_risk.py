import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import RiskLevel
from dacrre.accounts.models import Role
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from risk.models import Answer, RiskAssessment, RiskBands
from risk.questions import QUESTION_KEYS, QUESTIONS
from risk.services import assessments_compare, marac_referral_record, risk_assessment_record
from tests.factories import (
    AreaFactory,
    CaseFactory,
    CaseVictimFactory,
    IncidentFactory,
    ProbationAgencyFactory,
    UserFactory,
)


def _answers(yes: int) -> dict[str, str]:
    return {key: Answer.YES if i < yes else Answer.NO for i, key in enumerate(QUESTION_KEYS)}


@pytest.fixture
def officer_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    return officer, case, CaseVictimFactory(case=case).victim


def _record(officer, case, victim, *, yes=0, **kwargs):
    return risk_assessment_record(actor=officer, case=case, victim=victim, answers=_answers(yes), **kwargs)


def test_the_checklist_has_27_numbered_questions() -> None:
    assert [q.number for q in QUESTIONS] == list(range(1, 28))
    assert len(set(QUESTION_KEYS)) == 27


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("yes", "level"),
    [
        (0, RiskLevel.STANDARD),
        (9, RiskLevel.STANDARD),
        (10, RiskLevel.MEDIUM),
        (13, RiskLevel.MEDIUM),
        (14, RiskLevel.HIGH),
        (27, RiskLevel.HIGH),
    ],
)
def test_levels_by_the_default_bands(officer_case, yes, level) -> None:
    assessment = _record(*officer_case, yes=yes)
    assert (assessment.yes_count, assessment.score_level, assessment.final_level) == (yes, level, level)
    assert assessment.visible_high_risk == (yes >= 14)
    case = officer_case[1]
    case.refresh_from_db()
    assert case.risk_level == level


@pytest.mark.django_db
def test_bands_are_configurable(officer_case) -> None:
    RiskBands.objects.create(medium_from=5, high_from=8)
    assert _record(*officer_case, yes=5).score_level == RiskLevel.MEDIUM
    assert _record(*officer_case, yes=8).score_level == RiskLevel.HIGH


@pytest.mark.django_db
def test_judgement_raises_with_a_reason_and_never_lowers(officer_case) -> None:
    with pytest.raises(ApplicationError, match="reason for your professional judgement"):
        _record(*officer_case, yes=3, judgement_level=RiskLevel.HIGH)
    with pytest.raises(ApplicationError, match="can raise the level but not lower it"):
        _record(*officer_case, yes=15, judgement_level=RiskLevel.MEDIUM, judgement_reason="Seems calmer")
    raised = _record(*officer_case, yes=3, judgement_level=RiskLevel.HIGH, judgement_reason="Recent strangulation")
    assert (raised.score_level, raised.final_level) == (RiskLevel.STANDARD, RiskLevel.HIGH)
    assert RiskAssessment.objects.count() == 1


@pytest.mark.django_db
def test_every_question_must_be_answered(officer_case) -> None:
    officer, case, victim = officer_case
    answers = _answers(2)
    del answers["strangled"]
    with pytest.raises(ApplicationError, match="Answer every question"):
        risk_assessment_record(actor=officer, case=case, victim=victim, answers=answers)


@pytest.mark.django_db
def test_potential_escalation_needs_three_incidents_in_twelve_months(officer_case) -> None:
    officer, case, victim = officer_case
    now = timezone.now()
    IncidentFactory(perpetrator=case.perpetrator, occurred_at=now - datetime.timedelta(days=10))
    IncidentFactory(perpetrator=case.perpetrator, occurred_at=now - datetime.timedelta(days=200))
    IncidentFactory(perpetrator=case.perpetrator, occurred_at=now - datetime.timedelta(days=366))
    assert _record(officer, case, victim).potential_escalation is False
    IncidentFactory(perpetrator=case.perpetrator, occurred_at=now - datetime.timedelta(days=364))
    flagged = _record(officer, case, victim)
    assert flagged.potential_escalation is True
    assert flagged.marac_referral_prompted is True


@pytest.mark.django_db
def test_repeat_marac_is_a_new_incident_within_twelve_months_of_the_last_referral(officer_case) -> None:
    officer, case, victim = officer_case
    assert _record(officer, case, victim).repeat_marac is False
    marac_referral_record(actor=officer, case=case, referred_on=timezone.localdate() - datetime.timedelta(days=90))
    IncidentFactory(perpetrator=case.perpetrator, occurred_at=timezone.now() - datetime.timedelta(days=120))
    assert _record(officer, case, victim).repeat_marac is False  # before the referral
    IncidentFactory(perpetrator=case.perpetrator, occurred_at=timezone.now() - datetime.timedelta(days=30))
    assert _record(officer, case, victim).repeat_marac is True
    case.refresh_from_db()
    case.last_marac_referral_on = timezone.localdate() - datetime.timedelta(days=500)
    case.save()
    IncidentFactory(perpetrator=case.perpetrator, occurred_at=timezone.now() - datetime.timedelta(days=2))
    assert _record(officer, case, victim).repeat_marac is False  # more than 12 months after the referral


@pytest.mark.django_db
def test_latest_assessment_sets_the_level_and_review_date_and_earlier_ones_stay(officer_case) -> None:
    officer, case, victim = officer_case
    first = _record(officer, case, victim, yes=15)
    second = _record(officer, case, victim, yes=2)
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.STANDARD
    assert case.risk_review_due == timezone.localdate() + datetime.timedelta(days=90)
    first.refresh_from_db()
    assert first.final_level == RiskLevel.HIGH
    with pytest.raises(ValueError, match="never changed"):
        first.save()
    changes = [key for key, _, _, changed in assessments_compare(second, first) if changed]
    assert len(changes) == 13
    assert changes[0] == "what_afraid_of"


@pytest.mark.django_db
def test_only_officers_and_idvas_assess(officer_case) -> None:
    _, case, victim = officer_case
    probation = UserFactory(area=AreaFactory(agency=ProbationAgencyFactory()), role=Role.PARTNER_CASEWORKER)
    with pytest.raises(PermissionDeniedError):
        risk_assessment_record(actor=probation, case=case, victim=victim, answers=_answers(1))
    idva = UserFactory(role=Role.IDVA)
    assert risk_assessment_record(actor=idva, case=case, victim=victim, answers=_answers(1)).pk


@pytest.mark.django_db
def test_the_form_keeps_answers_and_prompts_for_marac(officer_case, login) -> None:
    officer, case, victim = officer_case
    client = login(officer)
    data = {f"q_{key}": value for key, value in _answers(15).items()}
    data["victim"] = str(victim.public_id)
    incomplete = dict(data)
    incomplete.pop("q_strangled")
    bad = client.post(f"/cases/{case.public_id}/risk/new/", incomplete)
    html = bad.content.decode()
    assert "Answer question 18" in html
    assert html.count("checked") >= 26
    response = client.post(f"/cases/{case.public_id}/risk/new/", data, follow=True)
    page = response.content.decode()
    assert "Refer this case to MARAC" in page and "visible high risk (15 yes)" in page
    client.post(f"/cases/{case.public_id}/risk/marac-referral/")
    case.refresh_from_db()
    assert case.last_marac_referral_on == timezone.localdate()


@pytest.mark.django_db
def test_perpetrator_side_sees_the_level_but_not_the_answers(officer_case, login) -> None:
    officer, case, victim = officer_case
    assessment = _record(officer, case, victim, yes=15)
    offender_manager = UserFactory(area=AreaFactory(agency=ProbationAgencyFactory()), role=Role.PARTNER_CASEWORKER)
    case.offender_manager = offender_manager
    case.save()
    client = login(offender_manager)
    page = client.get(f"/cases/{case.public_id}/").content.decode()
    assert "High" in page
    assert client.get(f"/cases/{case.public_id}/risk/{assessment.public_id}/").status_code == 403


@pytest.mark.django_db
def test_case_page_and_comparison_queries_are_constant(officer_case, login) -> None:
    officer, case, victim = officer_case
    client = login(officer)
    _record(officer, case, victim, yes=1)
    _record(officer, case, victim, yes=2)
    with CaptureQueriesContext(connection) as few_case:
        client.get(f"/cases/{case.public_id}/")
    with CaptureQueriesContext(connection) as few_compare:
        client.get(f"/cases/{case.public_id}/risk/compare/")
    for n in range(6):
        _record(officer, case, victim, yes=n)
    with CaptureQueriesContext(connection) as many_case:
        client.get(f"/cases/{case.public_id}/")
    with CaptureQueriesContext(connection) as many_compare:
        assert client.get(f"/cases/{case.public_id}/risk/compare/").status_code == 200
    assert len(many_case) == len(few_case)
    assert len(many_compare) == len(few_compare)


def _marac_section(html: str) -> str:
    """The case page's risk panel, from its heading to the next panel's."""
    start = html.index('<h2 class="govuk-heading-m">Risk</h2>')
    end = html.find('<h2 class="govuk-heading-m"', start + 10)
    return html[start : end if end != -1 else None]


@pytest.mark.django_db
def test_after_recording_the_marac_referral_the_case_page_no_longer_asks_for_it(officer_case, login) -> None:
    """Issue 15 item 14: after "Record MARAC referral" the page still said "Refer this case to MARAC"
    beside "Last referred to MARAC" of the same day, with a red warning-style button."""
    officer, case, victim = officer_case
    _record(officer, case, victim, yes=15)
    client = login(officer)
    before = _marac_section(client.get(f"/cases/{case.public_id}/").content.decode())
    assert "Refer this case to MARAC" in before and "visible high risk (15 yes)" in before
    assert "govuk-button--warning" not in before
    assert re.search(r'class="govuk-button govuk-button--secondary"[^>]*>Record MARAC referral', before)

    after = client.post(f"/cases/{case.public_id}/risk/marac-referral/", follow=True).content.decode()
    today = timezone.localdate().strftime("%-d %b %Y")
    assert f"MARAC referral recorded for {today}." in after
    panel = _marac_section(after)
    assert "Refer this case to MARAC" not in panel and "Record MARAC referral" not in panel
    assert f"Referred to MARAC on {today} (today)." in panel
    assert f"Last referred to MARAC on {today} (today)" in panel

    # A second press the same day records nothing new and says so.
    again = client.post(f"/cases/{case.public_id}/risk/marac-referral/", follow=True).content.decode()
    assert "already recorded as referred to MARAC on" in again
    assert case.chronology.filter(summary__startswith="Referred to MARAC").count() == 1
    # The assessment's own page agrees.
    assessment = RiskAssessment.objects.get(case=case)
    detail = client.get(f"/cases/{case.public_id}/risk/{assessment.public_id}/").content.decode()
    assert f"Referred to MARAC on {today} (today)." in detail and "Refer this case to MARAC" not in detail


@pytest.mark.django_db
def test_a_new_incident_after_a_referral_prompts_a_repeat_referral(officer_case, login) -> None:
    officer, case, victim = officer_case
    referred = timezone.localdate() - datetime.timedelta(days=90)
    marac_referral_record(actor=officer, case=case, referred_on=referred)
    IncidentFactory(perpetrator=case.perpetrator, occurred_at=timezone.now() - datetime.timedelta(days=10))
    _record(officer, case, victim, yes=2)
    panel = _marac_section(login(officer).get(f"/cases/{case.public_id}/").content.decode())
    assert "Refer this case to MARAC" in panel and "repeat MARAC" in panel
    assert f"last referred on {referred:%-d %b %Y}, within the last 12 months: this is a repeat referral" in panel
    assert "Record MARAC referral" in panel
