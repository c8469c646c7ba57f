"""The demo data (`manage.py seed_demo`) with what each role needs for its pages to have something
on them, and the demo users' second factor, for the crawl guards.

The demo carries two years of history (dacrre/shell/demo_history.py), but not on the North
officer's first cases, which the crawls open first: `demo_extras_add` puts there, with the services
as users would, a referral of each kind, a meeting with actions, a closure request, a Clare's Law
application, a planned visit, a programme allocation, a possible duplicate and a merge, a tasking
list, imports (checked, or waiting for the worker), a break-glass look, a school notification and a
second risk assessment, so that every page a role reaches has something on it to follow.
"""

import datetime
import io
from dataclasses import dataclass
from typing import cast

from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Case, RiskLevel
from dacrre.accounts.models import Agency, Area, User
from dacrre.shell.demo import DEMO_USERS, POLICE
from tests.factories import TEST_TOTP_KEY

DEMO_USERNAMES = [row[0] for row in DEMO_USERS]


@dataclass
class DemoWorld:
    users: dict[str, User]
    extras: dict[str, object]


def demo_world_build() -> DemoWorld:
    """Seed the demo as `manage.py seed_demo` does, enrol each demo user's test authenticator and
    add the records the demo lacks. Deterministic apart from today's date."""
    call_command("seed_demo", stdout=io.StringIO())
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_USERNAMES)}
    assert sorted(users) == sorted(DEMO_USERNAMES), "seed_demo did not create every demo user"
    for user in users.values():
        # The demo's quick start enrols an authenticator at first sign-in; the tests' key stands in.
        TOTPDevice.objects.get_or_create(
            user=user, confirmed=True, defaults={"name": "Test authenticator", "key": TEST_TOTP_KEY}
        )
    return DemoWorld(users=users, extras=demo_extras_add(users))


def _north_cases(officer: User) -> list[Case]:
    """The North officer's open cases in the order of their caseload, so that what is added is on
    the cases each crawl opens first."""
    from cases.selectors import caseload_for

    return list(
        caseload_for(officer)
        .filter(area__name="North", owning_agency__name=POLICE)
        .prefetch_related("case_victims__victim__person", "case_children__child")
    )


def demo_extras_add(users: dict[str, User]) -> dict[str, object]:  # noqa: PLR0915 - one list of what is added
    """What the demo should gain (see the module docstring), built through the services."""
    from cases.access.services import break_glass_open
    from disclosures.models import Route
    from disclosures.services import application_record
    from incidents.jobs import count_rows, import_job_start
    from incidents.models import ImportStatus, Incident, IncidentImport
    from meetings.models import MeetingKind
    from meetings.services import meeting_action_assign, meeting_add_case, meeting_schedule
    from offender_management.models import Programme
    from offender_management.services import intervention_record, programme_allocate
    from orders.models import OrderKind
    from orders.services import order_record
    from oversight.services import closure_request
    from people.merging import duplicate_merge
    from people.models import DuplicateCandidate
    from people.services import person_create
    from referrals.models import Consent, Sharing, Urgency
    from referrals.services import referral_accept, referral_create, referral_send
    from risk.models import Answer
    from risk.questions import QUESTION_KEYS
    from risk.services import risk_assessment_record
    from safety_plans.measures import MEASURE_KEYS
    from safety_plans.models import MeasureStatus
    from safety_plans.services import MeasureInput, safety_plan_for, safety_plan_save, school_notifications_raise
    from scoring.services import tasking_snapshot_take
    from visits.services import visit_plan

    agencies = {agency.name: agency for agency in Agency.objects.all()}
    officer, supervisor = users["officer.north"], users["supervisor.north"]
    today = timezone.localdate()
    cases = _north_cases(officer)
    # North cases all have probation as offender manager (demo: number % 3 == 0); the first four are
    # spread over the different journeys so that no record is used by two of them.
    referred, on_agenda, closing, applied = cases[0], cases[1], cases[2], cases[3]
    extras: dict[str, object] = {}

    def referral(case: Case, agency_name: str, *, accept_as: str | None = None):
        victim = case.case_victims.all()[0].victim
        created = referral_create(
            actor=officer,
            case=case,
            subject_person=victim.person,
            to_agency=agencies[agency_name],
            reason="Needs support away from the perpetrator.",
            urgency=Urgency.HIGH,
            sharing=Sharing.WITH_VICTIM_CONTACT,
            consent=Consent.GIVEN,
            consent_method="written",
        )
        sent = referral_send(actor=officer, referral=created)
        return referral_accept(actor=users[accept_as], referral=sent) if accept_as else sent

    extras["referral_to_housing"] = referral(referred, "Northshire Housing Options")  # awaiting an answer
    extras["referral_to_socialcare"] = referral(referred, "Northshire Children's Social Care", accept_as="socialcare")
    extras["referral_to_programme"] = referral(on_agenda, "Change Path Perpetrator Programme", accept_as="programme")
    extras["draft_referral"] = referral_create(
        actor=officer,
        case=referred,
        subject_person=referred.perpetrator.person,
        to_agency=agencies["Northshire Probation Delivery Unit"],
        reason="Draft: offender manager to be told of the new incident.",
        urgency=Urgency.STANDARD,
        sharing=Sharing.SUMMARY,
        consent=Consent.GIVEN,
        consent_method="verbal",
    )

    idva_service = agencies["Northshire IDVA Service"]
    marac = meeting_schedule(
        actor=officer,
        kind=MeetingKind.MARAC,
        held_on=today,
        attending_agencies=[idva_service, agencies["Northshire Children's Social Care"]],
    )
    item = meeting_add_case(actor=officer, meeting=marac, case=on_agenda)
    meeting_action_assign(actor=officer, item=item, agency=idva_service, description="Safety planning", due_on=today)
    meeting_action_assign(
        actor=officer,
        item=item,
        agency=agencies["Northshire Children's Social Care"],
        description="Strategy discussion",
        due_on=today + datetime.timedelta(days=7),
    )
    extras["marac"] = marac
    panel = meeting_schedule(
        actor=supervisor,
        kind=MeetingKind.PERPETRATOR_PANEL,
        held_on=today + datetime.timedelta(days=14),
        attending_agencies=[
            agencies["Northshire Probation Delivery Unit"],
            agencies["Change Path Perpetrator Programme"],
        ],
    )
    panel_item = meeting_add_case(actor=supervisor, meeting=panel, case=on_agenda)
    meeting_action_assign(
        actor=supervisor,
        item=panel_item,
        agency=agencies["Northshire Probation Delivery Unit"],
        description="Bring the perpetrator in for an appointment",
        due_on=today + datetime.timedelta(days=21),
    )
    extras["panel"] = panel

    extras["closure"] = closure_request(
        actor=officer, case=closing, reason="No incidents for twelve months and the safety plan is in place."
    )
    extras["disclosure"] = application_record(
        actor=officer,
        case=applied,
        route=Route.RIGHT_TO_ASK,
        person_at_risk=applied.case_victims.all()[0].victim,
        applicant_name="The person at risk",
        applicant_relationship="self",
        subject_relationship="partner",
        received_on=today - datetime.timedelta(days=3),
    )
    extras["planned_visit"] = visit_plan(
        actor=officer,
        case=applied,
        victim=None,
        planned_for=timezone.now() + datetime.timedelta(days=2),
        notes="Bail check.",
    )
    # The first case of the caseload, which every crawl opens first, gets a record of each kind:
    # two DASH assessments (the comparison is linked), an order, a safety plan saved twice (its
    # versions are linked). The demo gives these to even-numbered cases only.
    first_victim = referred.case_victims.all()[0].victim
    for yes in (4, 9):
        risk_assessment_record(
            actor=officer,
            case=referred,
            victim=first_victim,
            answers={key: Answer.YES if n < yes else Answer.NO for n, key in enumerate(QUESTION_KEYS)},
        )
    order_record(
        actor=officer,
        case=referred,
        kind=OrderKind.BAIL,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=21),
        conditions="Not to contact the victim.",
        protected_victims=[first_victim],
    )
    plan = safety_plan_for(case=referred, victim=first_victim)
    for status in [MeasureStatus.PROPOSED, MeasureStatus.IN_PLACE]:
        measures: dict[str, MeasureInput] = {
            key: {"status": status if key == "target_locks" else "", "owner": "", "due_on": None, "notes": ""}
            for key in MEASURE_KEYS
        }
        plan = safety_plan_save(actor=officer, plan=plan, expected_version=plan.version, measures=measures)
    allocation = programme_allocate(
        actor=users["probation"],
        perpetrator=on_agenda.perpetrator,
        programme=Programme.DRIVE,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=None,
        lead_agency=agencies["Northshire Probation Delivery Unit"],
    )
    intervention_record(
        actor=users["probation"],
        perpetrator=on_agenda.perpetrator,
        case=on_agenda,
        kind="support",
        occurred_on=today - datetime.timedelta(days=2),
        description="First Drive appointment kept.",
    )
    extras["allocation"] = allocation
    first, second = sorted([cases[4].perpetrator.person, cases[5].perpetrator.person], key=lambda person: person.pk)
    extras["duplicate"] = DuplicateCandidate.objects.create(
        first=first, second=second, reason="similar names and the same date of birth", agency=agencies[POLICE]
    )
    extras["tasking"] = tasking_snapshot_take(
        actor=users["analyst"], area=cast(Area, officer.area), month=today, top_n=10
    )
    content = (
        "source_reference,occurred_at,area,offence_category,perpetrator_given_name,perpetrator_family_name\n"
        f"GUARD/1,{today:%Y-%m-%d} 10:00,North,common_assault,Gary,Guard\n"
    )
    job = IncidentImport.objects.create(
        agency=agencies[POLICE],
        uploaded_by=users["analyst"],
        filename="guard.csv",
        content=content,
        status=ImportStatus.WAITING_CHECK,
        rows_total=count_rows(content),
    )
    extras["import"] = import_job_start(actor=users["analyst"], job=job, dry_run=True)
    extras["import_waiting"] = IncidentImport.objects.create(  # queued for the worker, which has not started
        agency=agencies[POLICE],
        uploaded_by=users["analyst"],
        filename="large.csv",
        content=content,
        status=ImportStatus.WAITING_IMPORT,
        rows_total=50_000,
    )
    extras["external_referral"] = referral_send(
        actor=officer,
        referral=referral_create(
            actor=officer,
            case=referred,
            subject_person=referred.case_victims.all()[0].victim.person,
            to_agency=None,
            external_agency_name="Northshire Women's Aid",
            external_agency_contact="Duty worker, 01632 960000",
            reason="Refuge space needed.",
            urgency=Urgency.HIGH,
            sharing=Sharing.SUMMARY,
            consent=Consent.GIVEN,
            consent_method="verbal",
        ),
    )
    twin, other_twin = (
        person_create(
            actor=users["analyst"], given_name="Sam", family_name="Twin", date_of_birth=datetime.date(1990, 1, 1)
        )
        for _ in range(2)
    )
    merged_pair = DuplicateCandidate.objects.create(
        first=twin, second=other_twin, reason="same name and date of birth", agency=agencies[POLICE]
    )
    extras["merge"] = duplicate_merge(actor=supervisor, candidate=merged_pair, keep=twin, reason="One person.")
    south = Case.objects.filter(area__name="South", owning_agency__name=POLICE).order_by("reference").first()
    assert south is not None
    break_glass_open(
        user=supervisor, case_reference=south.reference, reason="Victim called the North team about this case."
    )
    extras["break_glass_case"] = south
    for incident in Incident.objects.filter(children_present__isnull=False, perpetrator__cases__in=cases).distinct():
        school_notifications_raise(incident=incident)
    extras["high_risk_case"] = next(case for case in cases if case.risk_level == RiskLevel.HIGH)
    extras["documents"] = _documents_add(officer, referred)
    extras.update(_records_add(users, cases[-1]))
    extras["nfa_review"] = _justice_add(officer, cases[4])
    # The North case with the highest id: the first ones carry the demo's equipment and stalking screening.
    extras.update(_lifecycle_add(users, max(cases[6:-1], key=lambda case: case.pk)))
    return extras


def _justice_add(officer: User, case: Case) -> object:
    """For the North supervisor's NFA review queue: an NFA decision on one of the case's crimes."""
    from incidents.models import Incident
    from justice.models import EventKind, NfaReview
    from justice.services import Step, outcome_record

    crime = Incident.objects.filter(perpetrator_id=case.perpetrator_id, is_crime=True).order_by("occurred_at").first()
    assert crime is not None, "the demo's North cases have crimes"
    event = outcome_record(
        actor=officer,
        case=case,
        incident=crime,
        step=Step(
            kind=EventKind.NFA,
            occurred_at=timezone.now() - datetime.timedelta(minutes=5),
            outcome_type="16",
            reason="The victim does not support a prosecution.",
        ),
    )
    return NfaReview.objects.get(event=event)


def _lifecycle_add(users: dict[str, User], case: Case) -> dict[str, object]:
    """For the North supervisor: a closed North case to reopen, and a South case the inspector is
    transferring to North, waiting in the North team's transfer queue."""
    from oversight.services import closure_decide, closure_request
    from oversight.transfers import transfer_request

    supervisor = users["supervisor.north"]
    request = closure_request(actor=supervisor, case=case, reason="No incidents or contact for twelve months.")
    closure_decide(actor=supervisor, request=request, approve=True, comments="")
    south = Case.objects.filter(area__name="South", status="identified").order_by("reference").first()
    assert south is not None  # noqa: S101 - the demo has South cases
    transfer = transfer_request(
        actor=users["inspector"],
        case=south,
        to_area=cast(Area, supervisor.area),
        reason="The perpetrator has moved to the North area.",
    )
    return {"closed_case": case, "transfer": transfer}


def _records_add(users: dict[str, User], case: Case) -> dict[str, object]:
    """For the data protection officer: a case closed eleven years ago (due for review), a case disposed
    of, and a subject access request."""
    from cases.models import CaseStatus
    from cases.services import case_change_status
    from records.models import SubjectAccessRequest
    from records.services import case_dispose

    closed = []
    for old in Case.objects.filter(owning_agency=case.owning_agency, area__name="West").order_by("reference")[:2]:
        case_change_status(actor=users["supervisor.north"], case=old, to_status=CaseStatus.CLOSED, reason="Done.")
        long_ago = timezone.now() - datetime.timedelta(days=11 * 365)
        Case.objects.filter(pk=old.pk).update(opened_at=long_ago - datetime.timedelta(days=300), closed_at=long_ago)
        closed.append(old)
    disposal = case_dispose(
        actor=users["dpo"], case_id=closed[1].public_id, reason="Review period passed; no contact since closure."
    )
    request = SubjectAccessRequest.objects.create(
        person=case.perpetrator.person, agency=case.owning_agency, reference="SAR-2026-0001", requested_by=users["dpo"]
    )
    return {"review_due": closed[0], "disposal": disposal, "subject_access": request}


def _documents_add(officer: User, case: Case) -> list[object]:
    """A court order (a PDF, which the browser shows) and a photo on the first case of the caseload."""
    from documents.models import DocumentKind, DocumentVisibility
    from documents.selectors import target_of
    from documents.services import document_add

    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
    target = target_of(officer, "case", case)
    return [
        document_add(
            actor=officer,
            target=target,
            kind=kind,
            title=title,
            visibility=visibility,
            filename=filename,
            data=data,
        )
        for kind, title, visibility, filename, data in [
            (DocumentKind.COURT_ORDER, "Bail conditions", DocumentVisibility.ALL, "bail.pdf", pdf),
            (DocumentKind.PHOTO, "Damage to the front door", DocumentVisibility.VICTIM_SIDE, "door.png", png),
        ]
    ]
