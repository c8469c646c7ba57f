"""A force with a data protection officer, and a case closed long enough ago to be due for review,
with a record of every kind on it (built through the services, as users would)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from cases.models import Case, CaseStatus, RiskLevel
from cases.services import case_change_status
from dacrre.accounts.models import Role, Scope
from tests.factories import (
    AreaFactory,
    CaseChildFactory,
    CaseFactory,
    CaseVictimFactory,
    ChildConfidentialFactory,
    IdvaAgencyFactory,
    IncidentFactory,
    UserFactory,
    VictimConfidentialFactory,
    VictimFactory,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ADDRESS = "12 Quillback Terrace"


def close_long_ago(case: Case, *, years: int = 11, actor=None) -> Case:
    """Close the case, then date its opening and closure `years` back (closures are dated now)."""
    case_change_status(actor=actor, case=case, to_status=CaseStatus.CLOSED, reason="Closed after review.")
    closed = timezone.now() - datetime.timedelta(days=365 * years)
    Case.objects.filter(pk=case.pk).update(closed_at=closed, opened_at=closed - datetime.timedelta(days=200))
    case.refresh_from_db()
    return case


@dataclass
class RecordsWorld:
    area: Any
    officer: Any
    supervisor: Any
    dpo: Any
    idva: Any
    case: Any  # to dispose of
    kept_case: Any  # shares a victim with it
    perpetrator: Any
    victim: Any  # only in `case`
    child: Any
    shared_victim: Any  # also in `kept_case`
    records: dict = field(default_factory=dict)


@pytest.fixture
def records_world(db) -> RecordsWorld:  # noqa: PLR0915 - one record of each kind
    from disclosures.models import Route
    from disclosures.services import application_record
    from documents.models import DocumentKind, DocumentVisibility
    from documents.selectors import target_of
    from documents.services import document_add
    from equipment.services import fund_create, item_add, item_issue
    from experience.services import survey_record
    from meetings.models import MeetingKind
    from meetings.services import meeting_action_assign, meeting_add_case, meeting_schedule
    from notes.services import note_write
    from offender_management.models import Programme
    from offender_management.progress import programme_stage_move
    from offender_management.services import intervention_record, programme_allocate
    from orders.models import OrderKind
    from orders.services import order_breach_record, order_record
    from referrals.models import Consent, Sharing, Urgency
    from referrals.services import referral_accept, referral_create, referral_send
    from risk.models import Answer
    from risk.questions import QUESTION_KEYS
    from risk.services import risk_assessment_record
    from risk.stalking import STALKING_KEYS
    from risk.stalking_services import stalking_screening_record
    from safety_plans.measures import MEASURE_KEYS
    from safety_plans.services import MeasureInput, safety_plan_for, safety_plan_save
    from visits.models import VisitOutcome
    from visits.services import visit_log

    area = AreaFactory(name="North")
    officer = UserFactory(area=area, role=Role.OFFICER, scope=Scope.AREA, first_name="Olive", last_name="Officer")
    supervisor = UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AREA)
    dpo = UserFactory(area=None, agency=area.agency, role=Role.DPO, scope=Scope.NONE, email="dpo@example.org")
    idva_agency = IdvaAgencyFactory()
    idva = UserFactory(area=AreaFactory(agency=idva_agency), role=Role.IDVA, scope=Scope.AGENCY)

    case = CaseFactory(area=area, spoc=officer, risk_level=RiskLevel.STANDARD)
    perpetrator = case.perpetrator
    perpetrator.person.given_name, perpetrator.person.family_name = "Zebedee", "Quarrington"
    perpetrator.person.save()
    victim = VictimFactory(person__given_name="Yolanda", person__family_name="Pemberforth", confidential=None)
    VictimConfidentialFactory(victim=victim, address=ADDRESS, phone="07700 900123")
    CaseVictimFactory(case=case, victim=victim)
    shared_victim = VictimFactory(person__given_name="Wilhelmina", person__family_name="Stayput")
    CaseVictimFactory(case=case, victim=shared_victim)
    child = CaseChildFactory(case=case, child__person__given_name="Xavier").child
    ChildConfidentialFactory(child=child, school="Brackenfold Primary")
    kept_case = CaseFactory(area=area, spoc=officer)
    CaseVictimFactory(case=kept_case, victim=shared_victim)

    now = timezone.now()
    today = timezone.localdate()
    for days in (30, 300):
        incident = IncidentFactory(
            perpetrator=perpetrator, area=area, occurred_at=case.opened_at - datetime.timedelta(days=days)
        )
        incident.victims.add(victim)
    records: dict[str, Any] = {}
    records["visit"] = visit_log(
        actor=officer, case=case, victim=None, occurred_at=now, outcome=VisitOutcome.SEEN, notes="Seen at home."
    )
    records["victim_visit"] = visit_log(
        actor=officer, case=case, victim=victim, occurred_at=now, outcome=VisitOutcome.SEEN, notes="Seen."
    )
    records["assessment"] = risk_assessment_record(
        actor=officer, case=case, victim=victim, answers=dict.fromkeys(QUESTION_KEYS, Answer.NO)
    )
    plan = safety_plan_for(case=case, victim=victim)
    measures: dict[str, MeasureInput] = {
        key: {"status": "", "owner": "", "due_on": None, "notes": ""} for key in MEASURE_KEYS
    }
    measures[MEASURE_KEYS[0]] = {"status": "in_place", "owner": "IDVA", "due_on": None, "notes": ""}
    records["plan"] = safety_plan_save(actor=officer, plan=plan, expected_version=0, measures=measures)
    records["order"] = order_record(
        actor=officer,
        case=case,
        kind=OrderKind.BAIL,
        starts_on=today,
        ends_on=None,
        conditions="Not to contact the victim.",
        protected_victims=[victim],
    )
    order_breach_record(
        actor=officer, order=records["order"], occurred_on=today, details="Called her.", action_taken="Arrested."
    )
    referral = referral_create(
        actor=officer,
        case=case,
        subject_person=victim.person,
        to_agency=idva_agency,
        reason="Support.",
        urgency=Urgency.HIGH,
        sharing=Sharing.WITH_VICTIM_CONTACT,
        consent=Consent.GIVEN,
        consent_method="written",
    )
    records["referral"] = referral_accept(actor=idva, referral=referral_send(actor=officer, referral=referral))
    records["disclosure"] = application_record(
        actor=officer,
        case=case,
        route=Route.RIGHT_TO_ASK,
        person_at_risk=victim,
        applicant_name="The person at risk",
        applicant_relationship="self",
        subject_relationship="partner",
        received_on=today,
    )
    records["allocation"] = programme_allocate(
        actor=officer,
        perpetrator=perpetrator,
        programme=Programme.DRIVE,
        starts_on=today,
        ends_on=None,
        lead_agency=area.agency,
    )
    programme_stage_move(actor=officer, allocation=records["allocation"], to_stage="assessed", on=today)
    records["note"] = note_write(
        actor=officer,
        case=case,
        kind="contact",
        side="victim",
        text=f"Visited Yolanda Pemberforth at {ADDRESS}.",
        occurred_on=today,
        method="visit",
        with_whom="Yolanda Pemberforth",
    )
    records["screening"] = stalking_screening_record(
        actor=officer, case=case, victim=victim, answers=dict.fromkeys(STALKING_KEYS, "yes"), notes="Follows Yolanda."
    )
    fund = fund_create(actor=officer, name="Intervention fund")
    doorbell = item_add(
        actor=officer, kind="video_doorbell", asset_number="VD-DISPOSE", fund=fund, cost=Decimal("99"), bought_on=today
    )
    records["equipment"] = item_issue(
        actor=officer, case=case, item=doorbell, victim=victim, issued_on=today, installed_at=ADDRESS
    )
    intervention_record(
        actor=officer, perpetrator=perpetrator, case=case, kind="support", occurred_on=today, description="Talked."
    )
    records["survey"] = survey_record(
        actor=officer,
        case=case,
        victim=victim,
        outcome="answered",
        method="phone",
        surveyed_on=today,
        answers={
            "ease_of_contact": "very_satisfied",
            "actions_taken": "fairly_dissatisfied",
            "progress_updates": "declined",
            "treatment_by_staff": "completely_satisfied",
            "whole_experience": "neither",
        },
    )
    meeting = meeting_schedule(actor=officer, kind=MeetingKind.MARAC, held_on=today, attending_agencies=[idva_agency])
    item = meeting_add_case(actor=officer, meeting=meeting, case=case)
    meeting_add_case(actor=officer, meeting=meeting, case=kept_case)
    meeting_action_assign(actor=officer, item=item, agency=idva_agency, description="Safety planning", due_on=today)
    records["meeting"] = meeting
    target = target_of(officer, "case", case)
    records["documents"] = [
        document_add(
            actor=officer,
            target=target,
            kind=DocumentKind.COURT_ORDER,
            title="Bail sheet for Quarrington",
            visibility=DocumentVisibility.ALL,
            filename="bail.pdf",
            data=PDF,
        ),
        document_add(
            actor=officer,
            target=target_of(officer, "person", victim.person),
            kind=DocumentKind.LETTER,
            title="Letter to Pemberforth",
            visibility=DocumentVisibility.VICTIM_CONTACT,
            filename="letter.txt",
            data=f"Dear Yolanda, {ADDRESS}.\n".encode(),
        ),
        document_add(
            actor=officer,
            target=target_of(officer, "visit", records["victim_visit"]),
            kind=DocumentKind.PHOTO,
            title="Door at the victim's home",
            visibility=DocumentVisibility.VICTIM_SIDE,
            filename="door.pdf",
            data=PDF,
        ),
    ]
    close_long_ago(case, actor=supervisor)
    return RecordsWorld(
        area=area,
        officer=officer,
        supervisor=supervisor,
        dpo=dpo,
        idva=idva,
        case=case,
        kept_case=kept_case,
        perpetrator=perpetrator,
        victim=victim,
        child=child,
        shared_victim=shared_victim,
        records=records,
    )
