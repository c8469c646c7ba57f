"""Two years of fictional history for the demo, so that every report, the accountability pack and
each role's home compare real figures from the first `make run`: cases opened and closed over both
years, incidents before and after, visits and risk assessments back in time, referrals in every
state, MARAC meetings (with repeat cases), protective orders of each kind and route, and Clare's Law
applications with each outcome.

Records are made through the services (so they are what the app itself would hold), then dated back
where the services only accept today's date: history cannot be typed in today. Deterministic: the
caller passes a seeded random generator.
"""

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseStatus, CaseVictim, ChronologyEntry
from cases.services import case_change_status, case_open
from dacrre.accounts.models import Agency, User
from disclosures.models import Decision, DisclosureOutcome, Route
from disclosures.services import application_decide, application_record, application_record_disclosure
from experience.models import Aspect, Satisfaction, SatisfactionSurvey, SurveyMethod, SurveyOutcome
from experience.services import survey_record
from incidents.models import Incident, OffenceCategory
from incidents.services import incident_record
from justice.models import CourtResult, EventKind, EventSource, HomeOfficeOutcome, NfaReview, ReviewDecision
from justice.services import Step, investigation_locked, nfa_review_record, step_apply
from meetings.models import MeetingKind
from meetings.services import meeting_add_case, meeting_schedule
from offender_management.models import (
    BehaviourCategory,
    Frequency,
    InterventionType,
    MeasurePoint,
    Programme,
    ProgrammeStage,
)
from offender_management.progress import behaviour_measure_record, programme_stage_move
from offender_management.services import intervention_record, programme_allocate
from orders.models import OrderKind, OrderRoute
from orders.services import OrderDetails, order_record
from oversight.services import closure_blockers, closure_decide, closure_request
from people.models import Gender
from people.services import person_create
from perpetrators.services import perpetrator_register
from referrals.models import Consent, ConsentMethod, Referral, Sharing, Urgency
from referrals.services import (
    referral_accept,
    referral_complete,
    referral_create,
    referral_decline,
    referral_send,
    referral_withdraw,
)
from risk.models import Answer, RiskAssessment
from risk.questions import QUESTION_KEYS
from risk.services import risk_assessment_record
from victims.models import Victim
from victims.services import victim_register
from visits.models import Visit, VisitOutcome
from visits.services import visit_log

# Closed cases from the past two years, beside the open ones.
HISTORIC_CASES = 30
OFFENCES = [
    OffenceCategory.COMMON_ASSAULT,
    OffenceCategory.ABH,
    OffenceCategory.HARASSMENT,
    OffenceCategory.CRIMINAL_DAMAGE,
    OffenceCategory.COERCIVE_CONTROL,
    OffenceCategory.STALKING,
    OffenceCategory.THREATS_TO_KILL,
    OffenceCategory.BREACH_OF_ORDER,
]


@dataclass
class DemoCast:
    """Who the history is made by."""

    admin: User
    inspector: User
    officers: dict[str, User]  # by area name
    users: dict[str, User]
    agencies: dict[str, Agency]
    police: Agency


def _ago(days: int, hour: int = 14) -> datetime.datetime:
    moment = timezone.now() - datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def _day(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def spread_open_cases(rng: random.Random) -> None:
    """The open demo cases were opened over the last ten months, not all today."""
    for case in Case.objects.exclude(status=CaseStatus.CLOSED).order_by("pk"):
        opened = _ago(rng.randrange(14, 300))
        Case.objects.filter(pk=case.pk).update(opened_at=opened)
        CaseVictim.objects.filter(case=case).update(created_at=opened)


def _historic_case(cast: DemoCast, operation, number: int, opened_days_ago: int, rng: random.Random) -> Case:
    area_name = ["North", "South", "West"][number % 3]
    area = cast.police.areas.get(name=area_name)
    perpetrator = perpetrator_register(
        actor=cast.admin,
        person=person_create(
            actor=cast.admin,
            given_name=f"Historic{number}",
            family_name="Demo",
            date_of_birth=datetime.date(1975 + number % 20, 1 + number % 12, 1 + number % 28),
            gender=Gender.MALE,
            police_identifier=f"NP{300000 + number}",
        ),
    )
    victim = victim_register(
        actor=cast.admin,
        person=person_create(
            actor=cast.admin,
            given_name=f"Former{number}",
            family_name="Demo",
            date_of_birth=datetime.date(1980 + number % 20, 1 + number % 12, 1 + number % 28),
            gender=Gender.FEMALE,
            police_identifier=f"NP{400000 + number}",
        ),
        address=f"{number} Old Mill Lane\nNorthtown",
        postcode="NS9 9XX",
        phone=f"07700 901{number:03d}",
        safe_contact_arrangements="Text first on the safe number.",
    )
    for index in range(rng.randrange(2, 6)):  # the history that got them on the operation
        incident_record(
            actor=cast.admin,
            source_reference=f"NP/H/{number:03d}{index:02d}",
            occurred_at=_ago(opened_days_ago + rng.randrange(5, 300), hour=rng.randrange(24)),
            area=area,
            recording_agency=cast.police,
            offence_category=rng.choice(OFFENCES),
            perpetrator=perpetrator,
            victims=[victim],
        )
    if number % 4 == 0:  # offended again after the case opened: she is a repeat victim
        incident_record(
            actor=cast.admin,
            source_reference=f"NP/H/{number:03d}99",
            occurred_at=_ago(max(3, opened_days_ago - rng.randrange(20, 200))),
            area=area,
            recording_agency=cast.police,
            offence_category=OffenceCategory.HARASSMENT,
            perpetrator=perpetrator,
            victims=[victim],
        )
    case = case_open(
        actor=cast.inspector,
        operation=operation,
        perpetrator=perpetrator,
        owning_agency=cast.police,
        area=area,
        victims=[victim],
        children=[],
        spoc=cast.officers[area_name],
    )
    case_change_status(actor=cast.officers[area_name], case=case, to_status=CaseStatus.ACTIVE, reason="Allocated.")
    return Case.objects.get(pk=case.pk)


def _date_back(case: Case, *, opened: datetime.datetime) -> None:
    """The case and what was recorded on it today are moved to its own dates."""
    Case.objects.filter(pk=case.pk).update(opened_at=opened)
    CaseVictim.objects.filter(case=case).update(created_at=opened)
    ChronologyEntry.objects.filter(case=case).update(occurred_at=opened)


def _casework(cast: DemoCast, case: Case, *, opened: datetime.datetime, rng: random.Random) -> None:
    officer = case.spoc
    assert officer is not None  # noqa: S101 - every historic case is opened with its SPOC
    victim = case.victims.get()
    visit = visit_log(
        actor=officer,
        case=case,
        victim=None,
        occurred_at=timezone.now() - datetime.timedelta(hours=2),
        outcome=VisitOutcome.SEEN,
        notes="Perpetrator seen at home; conditions explained.",
    )
    Visit.objects.filter(pk=visit.pk).update(occurred_at=opened + datetime.timedelta(days=rng.randrange(3, 30)))
    yes = rng.randrange(6, 18)
    answers = {key: Answer.YES if index < yes else Answer.NO for index, key in enumerate(QUESTION_KEYS)}
    assessment = risk_assessment_record(actor=officer, case=case, victim=victim, answers=answers)
    RiskAssessment.objects.filter(pk=assessment.pk).update(assessed_at=opened + datetime.timedelta(days=2))


def _notice_and_order(case: Case, victim: Victim, *, served: datetime.date) -> None:
    """A DVPN served at 10:00, then the DVPO heard the next day (within the notice's 48 hours)."""
    officer = case.spoc
    assert officer is not None  # noqa: S101
    order_record(
        actor=officer,
        case=case,
        kind=OrderKind.DVPN,
        starts_on=served,
        starts_time=datetime.time(10, 0),
        ends_on=served + datetime.timedelta(days=2),
        ends_time=datetime.time(10, 0),
        conditions="Not to enter the address.",
        protected_victims=[victim],
    )
    order_record(
        actor=officer,
        case=case,
        kind=OrderKind.DVPO,
        starts_on=served + datetime.timedelta(days=1),
        ends_on=served + datetime.timedelta(days=29),
        conditions="Not to contact her or come within 100 metres of her home.",
        protected_victims=[victim],
    )


def _orders(cast: DemoCast, case: Case, number: int, *, opened_days_ago: int) -> None:
    officer = case.spoc
    assert officer is not None  # noqa: S101
    victim = case.victims.get()
    if number % 3 == 0:
        _notice_and_order(case, victim, served=_day(opened_days_ago - 5))
    if number % 9 == 0:  # the same couple's second DVPO, two months later
        _notice_and_order(case, victim, served=_day(opened_days_ago - 65))
    if number % 5 == 0:
        route = [OrderRoute.CONVICTION, OrderRoute.ACQUITTAL, OrderRoute.FAMILY_COURT][number % 3]
        order_record(
            actor=officer,
            case=case,
            kind=OrderKind.RESTRAINING,
            starts_on=_day(opened_days_ago - 40),
            ends_on=_day(opened_days_ago - 40) + datetime.timedelta(days=730),
            conditions="Not to contact her directly or indirectly.",
            protected_victims=[victim],
            details=OrderDetails(route=route),
        )


def _outcomes(cast: DemoCast, case: Case, number: int) -> None:
    """What happened to each crime, as the incident extract carries it: an arrest, then a charge and
    its court outcome, a caution, or no further action (reviewed by a sergeant); some still open."""
    officer = case.spoc or cast.inspector
    latest = timezone.now() - datetime.timedelta(days=1)
    crimes = Incident.objects.filter(perpetrator=case.perpetrator, is_crime=True).order_by("occurred_at")
    for index, incident in enumerate(crimes):

        def step(kind: str, days: int, **details: Any) -> None:
            with transaction.atomic():
                investigation = investigation_locked(case=case, incident=incident)  # noqa: B023 - called at once
                at = min(incident.occurred_at + datetime.timedelta(days=days), latest)  # noqa: B023
                step_apply(
                    actor=officer,
                    investigation=investigation,
                    step=Step(kind=kind, occurred_at=at, **details),
                    source=EventSource.IMPORT,
                )

        which = (number + index) % 5
        if which == 4:
            continue  # still under investigation
        step(EventKind.ARREST, 1, by_whom=officer.get_full_name())
        if which == 0:
            step(EventKind.CHARGE, 2)
            result = CourtResult.GUILTY_PLEA if index % 2 == 0 else CourtResult.ACQUITTED
            step(EventKind.COURT_OUTCOME, 60, court_result=result)
        elif which == 1:
            step(EventKind.OUT_OF_COURT, 3, outcome_type=HomeOfficeOutcome.CAUTION_ADULT)
        else:
            step(
                EventKind.NFA,
                14,
                outcome_type=HomeOfficeOutcome.VICTIM_DOES_NOT_SUPPORT,
                reason="The victim does not support a prosecution; no independent evidence.",
            )
    for review in NfaReview.objects.filter(case=case, reviewed_at__isnull=True).select_related("event"):
        nfa_review_record(
            actor=cast.inspector,
            review=review,
            decision=ReviewDecision.UPHELD,
            referred_to_cps=False,
            comments="Reviewed: the evidential test is not met; safeguarding continues.",
        )
        reviewed = min(review.event.occurred_at + datetime.timedelta(days=3), latest)
        NfaReview.objects.filter(pk=review.pk).update(reviewed_at=reviewed)


SATISFACTION_MIX = [Satisfaction.COMPLETELY, Satisfaction.VERY, Satisfaction.FAIRLY, Satisfaction.NEITHER]
SATISFACTION_MIX += [Satisfaction.FAIRLY_DISSATISFIED, Satisfaction.VERY, Satisfaction.DECLINED]


def _survey(case: Case, *, on: datetime.datetime, rng: random.Random) -> None:
    """The victim's satisfaction survey, by phone on her safe number, dated when it was taken."""
    officer = case.spoc
    assert officer is not None  # noqa: S101
    survey = survey_record(
        actor=officer,
        case=case,
        victim=case.victims.get(),
        outcome=SurveyOutcome.ANSWERED,
        method=SurveyMethod.PHONE,
        surveyed_on=timezone.localdate(),
        answers={aspect: rng.choice(SATISFACTION_MIX) for aspect in Aspect.values},
    )
    SatisfactionSurvey.objects.filter(pk=survey.pk).update(surveyed_on=min(on, _ago(1)).date())


def _referrals(cast: DemoCast, case: Case, number: int) -> None:
    """Referrals in every state, on the open cases: accepted, completed, declined, withdrawn, awaiting
    a response, and a draft."""
    officer = case.spoc
    assert officer is not None  # noqa: S101
    victim = case.victims.first()
    partners = [
        (
            "Northshire IDVA Service",
            "idva",
            victim.person if victim else case.perpetrator.person,
            Sharing.WITH_VICTIM_CONTACT,
        ),
        (
            "Northshire Housing Options",
            "housing",
            victim.person if victim else case.perpetrator.person,
            Sharing.WITH_VICTIM_CONTACT,
        ),
        ("Northshire Probation Delivery Unit", "probation", case.perpetrator.person, Sharing.SUMMARY),
    ]
    agency_name, username, subject, sharing = partners[number % len(partners)]
    referral = referral_create(
        actor=officer,
        case=case,
        subject_person=subject,
        to_agency=cast.agencies[agency_name],
        reason="Referred from the operation: support and safety planning needed.",
        urgency=Urgency.MEDIUM,
        sharing=sharing,
        consent=Consent.GIVEN,
        consent_method=ConsentMethod.VERBAL,
    )
    state = number % 6
    if state == 5:
        return  # a draft, still being written
    referral = referral_send(actor=officer, referral=referral)
    partner = cast.users[username]
    if state == 1:
        referral_accept(actor=partner, referral=referral)
    elif state == 2:
        referral_accept(actor=partner, referral=referral)
        referral_complete(actor=partner, referral=Referral.objects.get(pk=referral.pk), outcome="Support given.")
    elif state == 3:
        referral_decline(actor=partner, referral=referral, reason="Already known to our service.")
    elif state == 4:
        referral_withdraw(actor=officer, referral=referral, reason="Sent to the wrong team.")
    # state 0: sent, awaiting a response


def _disclosures(cast: DemoCast, case: Case, number: int, *, received_days_ago: int) -> None:
    officer = case.spoc
    assert officer is not None  # noqa: S101
    victim = case.victims.get()
    received = _day(received_days_ago)
    application = application_record(
        actor=officer,
        case=case,
        route=Route.RIGHT_TO_ASK if (number // 4) % 2 else Route.RIGHT_TO_KNOW,
        person_at_risk=victim,
        applicant_name="The person at risk",
        applicant_relationship="self",
        subject_relationship="partner",
        received_on=received,
    )
    decided = received + datetime.timedelta(days=14)
    application = application_decide(
        actor=cast.inspector,
        application=application,
        decision=Decision.DISCLOSE,
        rationale="Previous violence towards partners: the test for disclosure is met.",
        decided_on=decided,
    )
    outcome = DisclosureOutcome.DECLINED if number % 3 == 0 else DisclosureOutcome.MADE
    application_record_disclosure(
        actor=officer, application=application, outcome=outcome, outcome_on=decided + datetime.timedelta(days=3)
    )


def _close(cast: DemoCast, case: Case, *, closed: datetime.datetime) -> None:
    if closure_blockers(case):
        return
    request = closure_request(actor=case.spoc or cast.inspector, case=case, reason="Risk reduced; no incidents since.")
    closure_decide(actor=cast.inspector, request=request, approve=True, comments="")
    Case.objects.filter(pk=case.pk).update(closed_at=closed)


def _marac(cast: DemoCast, cases: list[Case]) -> None:
    """A MARAC last year and one this year; a case heard at both is a repeat MARAC case."""
    attending = [cast.agencies["Northshire IDVA Service"], cast.agencies["Northshire Children's Social Care"]]
    for days_ago, chosen in ((400, cases[:4]), (60, cases[2:8])):
        meeting = meeting_schedule(
            actor=cast.inspector, kind=MeetingKind.MARAC, held_on=_day(days_ago), attending_agencies=attending
        )
        for case in chosen:
            meeting_add_case(actor=cast.inspector, meeting=meeting, case=case)


def _ranked_not_allocated(cast: DemoCast, rng: random.Random) -> None:
    """Repeat perpetrators the ranking finds who were never given a case: the evaluation's
    comparison group."""
    for number in range(1, 19):
        area_name = ["North", "South", "West"][number % 3]
        perpetrator = perpetrator_register(
            actor=cast.admin,
            person=person_create(
                actor=cast.admin,
                given_name=f"Ranked{number}",
                family_name="Demo",
                date_of_birth=datetime.date(1978 + number % 15, 1 + number % 12, 1 + number % 28),
                gender=Gender.MALE,
                police_identifier=f"NP{500000 + number}",
            ),
        )
        for index in range(rng.randrange(2, 7)):
            incident_record(
                actor=cast.admin,
                source_reference=f"NP/R/{number:03d}{index:02d}",
                occurred_at=_ago(rng.randrange(5, 700), hour=rng.randrange(24)),
                area=cast.police.areas.get(name=area_name),
                recording_agency=cast.police,
                offence_category=rng.choice(OFFENCES),
                perpetrator=perpetrator,
            )


def _programmes(cast: DemoCast, cases: list[Case]) -> None:
    """Perpetrators allocated to the behaviour-change programme over both years: some completed with
    their behaviour measured at start and exit, one withdrawn, one still engaged; and interventions."""
    programme = cast.agencies["Change Path Perpetrator Programme"]
    worker = cast.users["programme"]
    for index, case in enumerate(cases[:6]):
        starts = _day(600 - index * 100)
        allocation = programme_allocate(
            actor=worker,
            perpetrator=case.perpetrator,
            programme=Programme.DRIVE,
            starts_on=starts,
            ends_on=None,
            lead_agency=programme,
        )
        stages = [ProgrammeStage.ASSESSED, ProgrammeStage.ENGAGED]
        stages.append([ProgrammeStage.COMPLETED, ProgrammeStage.WITHDRAWN, ProgrammeStage.COMPLETED][index % 3])
        if index == 5:
            stages = stages[:2]  # still on the programme
        start_scores = {c.value: Frequency.OFTEN for c in BehaviourCategory}
        behaviour_measure_record(
            actor=worker, allocation=allocation, point=MeasurePoint.START, measured_on=starts, scores=start_scores
        )
        for step, stage in enumerate(stages, start=1):
            on = starts + datetime.timedelta(days=30 * step)
            note = "Stopped attending after three missed sessions." if stage == ProgrammeStage.WITHDRAWN else ""
            allocation = programme_stage_move(actor=worker, allocation=allocation, to_stage=stage, on=on, note=note)
            if stage == ProgrammeStage.COMPLETED:
                exit_scores = dict(start_scores) | {
                    BehaviourCategory.PHYSICAL.value: Frequency.NONE,
                    BehaviourCategory.HARASSMENT_STALKING.value: Frequency.ONCE_OR_TWICE,
                }
                behaviour_measure_record(
                    actor=worker, allocation=allocation, point=MeasurePoint.EXIT, measured_on=on, scores=exit_scores
                )
        officer = case.spoc or cast.inspector
        intervention_record(
            actor=officer,
            perpetrator=case.perpetrator,
            case=case,
            kind=[InterventionType.DISRUPTION, InterventionType.ENFORCEMENT, InterventionType.SUPPORT][index % 3],
            occurred_on=_day(40 + index * 110),
            description="Joint visit with the programme; licence conditions checked.",
        )


def demo_history(cast: DemoCast, *, operation, rng: random.Random) -> None:
    spread_open_cases(rng)
    _ranked_not_allocated(cast, rng)
    open_cases = list(Case.objects.exclude(status=CaseStatus.CLOSED).select_related("spoc").order_by("pk"))
    for number, case in enumerate(open_cases[:18], start=1):
        if case.spoc is not None and case.status != CaseStatus.CLOSED:
            _referrals(cast, case, number)
    _marac(cast, open_cases)
    for number in range(1, HISTORIC_CASES + 1):
        opened_days_ago = rng.randrange(150, 720)
        case = _historic_case(cast, operation, number, opened_days_ago, rng)
        opened = _ago(opened_days_ago)
        _casework(cast, case, opened=opened, rng=rng)
        _orders(cast, case, number, opened_days_ago=opened_days_ago)
        _outcomes(cast, case, number)
        if number % 3 != 2:
            _survey(case, on=opened + datetime.timedelta(days=60), rng=rng)
        if number % 4 == 1:
            _disclosures(cast, case, number, received_days_ago=opened_days_ago - 10)
        if number % 6 != 0:  # most have closed; a few are still worked
            closed = opened + datetime.timedelta(days=rng.randrange(90, 300))
            _close(cast, case, closed=min(closed, _ago(1)))
        _date_back(case, opened=opened)
    _programmes(cast, list(Case.objects.exclude(status=CaseStatus.CLOSED).select_related("spoc").order_by("pk")))
