"""Fictional demonstration data: several agencies, users for every role, about fifty cases.

Every name, address and number here is invented. Deterministic (fixed random seed) and idempotent:
running it again on a seeded database changes nothing.
"""

import datetime
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases.access.models import GrantSource
from cases.access.services import case_access_grant
from cases.models import Case, CaseStatus, CaseVictim, ChronologyKind, ChronologyVisibility, RiskLevel
from cases.services import case_change_status, case_open, chronology_record, operation_create
from dacrre.accounts.models import Agency, AgencyKind, AgencySide, Area, Role, Scope, User
from dacrre.accounts.services import agency_create, user_create
from dacrre.shell.demo_history import DemoCast, demo_history
from equipment.models import EquipmentKind
from equipment.services import fund_create, item_add, item_issue
from experience.models import SurveyMethod, SurveyOutcome
from experience.services import survey_record
from incidents.models import OffenceCategory
from incidents.services import incident_record
from notes.models import ContactMethod, NoteKind, NoteSide
from notes.services import note_write
from orders.models import OrderKind
from orders.services import order_record
from people.models import Gender
from people.services import person_create
from perpetrators.services import perpetrator_register
from risk.models import Answer
from risk.questions import QUESTION_KEYS
from risk.services import risk_assessment_record
from risk.stalking import STALKING_KEYS
from risk.stalking_services import stalking_screening_record
from safety_plans.measures import MEASURE_KEYS
from safety_plans.models import MeasureStatus
from safety_plans.services import MeasureInput, safety_plan_for, safety_plan_save
from scoring.models import DailyTasking, TaskingKind, TaskingResult
from scoring.services import tasking_assign, tasking_inspectors_set, tasking_result_record, tasking_snapshot_take
from victims.models import Victim
from victims.services import child_register, victim_register
from visits.models import VisitOutcome
from visits.services import visit_log

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - fictional demo logins, printed for the quick start
POLICE = "Northshire Police"

GIVEN_MALE = [
    "Adam",
    "Ben",
    "Callum",
    "Darren",
    "Ethan",
    "Gary",
    "Jason",
    "Kyle",
    "Lee",
    "Mark",
    "Neil",
    "Ryan",
    "Scott",
    "Wayne",
]
GIVEN_FEMALE = [
    "Amy",
    "Beth",
    "Chloe",
    "Donna",
    "Emma",
    "Gemma",
    "Hannah",
    "Jade",
    "Kelly",
    "Laura",
    "Megan",
    "Nicola",
    "Rachel",
    "Sophie",
]
GIVEN_CHILD = [
    "Alfie",
    "Bella",
    "Charlie",
    "Daisy",
    "Freddie",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Lily",
    "Oscar",
    "Poppy",
]
FAMILY = [
    "Abbott",
    "Barker",
    "Carter",
    "Dawson",
    "Ellis",
    "Fletcher",
    "Gibson",
    "Harper",
    "Irving",
    "Jennings",
    "Kirby",
    "Lawson",
    "Marsh",
    "Norris",
    "Owens",
    "Porter",
    "Quinn",
    "Rowe",
    "Sutton",
    "Tranter",
    "Vaughan",
    "Walsh",
]
STREETS = ["Acacia Avenue", "Beech Road", "Chapel Lane", "Dale Street", "Elm Close", "Ferry Road", "Glebe Way"]
TOWNS = {"North": "Northtown", "South": "Southport-on-Sea", "West": "Westbridge"}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    agency: str
    note: str


DEMO_AGENCIES = [
    (POLICE, AgencyKind.POLICE, AgencySide.BOTH, ["North", "South", "West"]),
    ("Northshire IDVA Service", AgencyKind.IDVA_SERVICE, AgencySide.VICTIM, ["County"]),
    ("Northshire Probation Delivery Unit", AgencyKind.PROBATION, AgencySide.PERPETRATOR, ["County"]),
    ("Northshire Children's Social Care", AgencyKind.CHILDRENS_SOCIAL_CARE, AgencySide.VICTIM, ["County"]),
    ("Northshire Housing Options", AgencyKind.HOUSING, AgencySide.VICTIM, ["County"]),
    ("Change Path Perpetrator Programme", AgencyKind.PERPETRATOR_PROGRAMME, AgencySide.PERPETRATOR, ["County"]),
]

# username, agency, area, role, scope, first, last, note
DEMO_USERS = [
    ("officer.north", POLICE, "North", Role.OFFICER, Scope.ASSIGNED, "Priya", "Shah", "SPOC for North cases"),
    ("officer.south", POLICE, "South", Role.OFFICER, Scope.ASSIGNED, "Tom", "Reid", "SPOC for South cases"),
    ("officer.west", POLICE, "West", Role.OFFICER, Scope.ASSIGNED, "Aisha", "Khan", "SPOC for West cases"),
    ("supervisor.north", POLICE, "North", Role.SUPERVISOR, Scope.AREA, "Dave", "Morgan", "DS, sees all North cases"),
    ("inspector", POLICE, "North", Role.SUPERVISOR, Scope.AGENCY, "Helen", "Price", "DI, sees the whole force"),
    ("idva", "Northshire IDVA Service", "County", Role.IDVA, Scope.ASSIGNED, "Sam", "Lee", "IDVA on high-risk cases"),
    (
        "probation",
        "Northshire Probation Delivery Unit",
        "County",
        Role.PARTNER_CASEWORKER,
        Scope.ASSIGNED,
        "Chris",
        "Evans",
        "Offender manager (perpetrator-side)",
    ),
    (
        "socialcare",
        "Northshire Children's Social Care",
        "County",
        Role.PARTNER_CASEWORKER,
        Scope.AGENCY,
        "Jo",
        "Bennett",
        "Victim-side partner: cases shared by MARAC, with contact details",
    ),
    (
        "housing",
        "Northshire Housing Options",
        "County",
        Role.PARTNER_CASEWORKER,
        Scope.AGENCY,
        "Alex",
        "Young",
        "Victim-side partner: referrals to answer",
    ),
    (
        "programme",
        "Change Path Perpetrator Programme",
        "County",
        Role.PARTNER_CASEWORKER,
        Scope.AGENCY,
        "Robin",
        "Hale",
        "Perpetrator-side partner: shared cases, never victims' contact details",
    ),
    ("analyst", POLICE, None, Role.ANALYST, Scope.AGENCY, "Kim", "Ward", "Insight analyst"),
    ("auditor", POLICE, None, Role.AUDITOR, Scope.NONE, "Pat", "Doyle", "Information management"),
    ("dpo", POLICE, None, Role.DPO, Scope.NONE, "Nia", "Okafor", "Data protection officer: retention, subject access"),
    ("admin", POLICE, None, Role.ADMIN, Scope.NONE, "Lou", "Grant", "Police IT, Django admin"),
]

CASE_COUNT = 50


def demo_logins() -> list[DemoLogin]:
    return [DemoLogin(row[0], row[3].label, row[1], row[7]) for row in DEMO_USERS]


def demo_is_seeded() -> bool:
    return Agency.objects.filter(name=POLICE).exists()


@transaction.atomic
def demo_seed() -> bool:  # noqa: C901
    """Create the demo data unless it is there already. Returns True when it created it."""
    if demo_is_seeded():
        return False
    rng = random.Random(20261122)  # noqa: S311 - fictional data, reproducible on purpose
    agencies = {
        name: agency_create(name=name, kind=kind, side=side, areas=areas) for name, kind, side, areas in DEMO_AGENCIES
    }
    users: dict[str, User] = {}
    for username, agency_name, area_name, role, scope, first, last, _note in DEMO_USERS:
        agency = agencies[agency_name]
        users[username] = user_create(
            username=username,
            password=DEMO_PASSWORD,
            agency=agency,
            area=agency.areas.get(name=area_name) if area_name else None,
            role=role,
            scope=scope,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
        )
    admin = users["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save(update_fields=["is_staff", "is_superuser"])

    police = agencies[POLICE]
    today = timezone.localdate()
    operation = operation_create(
        actor=admin,
        name="Operation Harbour Light",
        lead_agency=police,
        starts_on=today - datetime.timedelta(days=730),
        ends_on=today + datetime.timedelta(days=245),
        description="Year-long operation targeting the most harmful repeat perpetrators in each area.",
    )
    officers = {"North": users["officer.north"], "South": users["officer.south"], "West": users["officer.west"]}
    used_names: set[tuple[str, str]] = set()

    def unique_name(given: list[str]) -> tuple[str, str]:
        while True:
            name = (rng.choice(given), rng.choice(FAMILY))
            if name not in used_names:
                used_names.add(name)
                return name

    # Stands in for the MARAC meeting that shared some cases with partners (meetings come later).
    demo_marac_id = uuid.UUID("00000000-0000-4000-8000-000000000001")

    for number in range(1, CASE_COUNT + 1):
        area_name = ["North", "South", "West"][number % 3]
        area = police.areas.get(name=area_name)
        given, family = unique_name(GIVEN_MALE)
        perpetrator = perpetrator_register(
            actor=admin,
            person=person_create(
                actor=admin,
                given_name=given,
                family_name=family,
                date_of_birth=datetime.date(1970 + rng.randrange(30), rng.randrange(1, 13), rng.randrange(1, 29)),
                gender=Gender.MALE,
                police_identifier=f"NP{100000 + number}",
            ),
            warning_markers="Violent towards police" if number % 7 == 0 else "",
        )
        victims = []
        for victim_number in range(1 if number % 4 else 2):
            v_given, v_family = unique_name(GIVEN_FEMALE)
            victims.append(
                victim_register(
                    actor=admin,
                    person=person_create(
                        actor=admin,
                        given_name=v_given,
                        family_name=v_family,
                        date_of_birth=datetime.date(
                            1975 + rng.randrange(30), rng.randrange(1, 13), rng.randrange(1, 29)
                        ),
                        gender=Gender.FEMALE,
                        police_identifier=f"NP{200000 + number * 10 + victim_number}",
                    ),
                    address=f"{rng.randrange(1, 120)} {rng.choice(STREETS)}\n{TOWNS[area_name]}",
                    postcode=f"NS{rng.randrange(1, 9)} {rng.randrange(1, 9)}XX",
                    phone=f"07700 900{rng.randrange(100, 999)}",
                    safe_contact_arrangements="Call on the safe number after 10am on weekdays. Code word: 'library'.",
                )
            )
        children = [
            child_register(
                actor=admin,
                person=person_create(
                    actor=admin,
                    given_name=rng.choice(GIVEN_CHILD),
                    family_name=victims[0].person.family_name,
                    date_of_birth=today - datetime.timedelta(days=rng.randrange(365, 365 * 15)),
                ),
                school=f"{TOWNS[area_name]} Primary School",
            )
            for _ in range(rng.randrange(0, 3))
        ]
        for incident_number in range(rng.randrange(1, 7)):
            incident_record(
                actor=admin,
                source_reference=f"NP/{today.year % 100:02d}/{number:03d}{incident_number:02d}",
                occurred_at=timezone.now() - datetime.timedelta(days=rng.randrange(5, 700), hours=rng.randrange(24)),
                area=area,
                recording_agency=police,
                offence_category=rng.choice(OffenceCategory.values),
                perpetrator=perpetrator,
                victims=victims[: 1 + incident_number % len(victims)],
                children_present=children[:1] if children and incident_number % 2 == 0 else [],
                injury=rng.random() < 0.3,
                weapon_used=rng.random() < 0.1,
            )
        risk = rng.choice([RiskLevel.HIGH, RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.STANDARD])
        case = case_open(
            actor=users["supervisor.north"],
            operation=operation,
            perpetrator=perpetrator,
            owning_agency=police,
            area=area,
            victims=victims,
            children=children,
            spoc=officers[area_name],
            offender_manager=users["probation"] if number % 3 == 0 else None,
            idva=users["idva"] if risk == RiskLevel.HIGH else None,
        )
        Case.objects.filter(pk=case.pk).update(
            risk_level=risk,
            next_perpetrator_visit_due=today + datetime.timedelta(days=rng.randrange(-10, 40)),
            risk_review_due=today + datetime.timedelta(days=rng.randrange(-5, 80)),
        )
        for link in CaseVictim.objects.filter(case=case):
            link.next_visit_due = today + datetime.timedelta(days=rng.randrange(-7, 40))
            link.save(update_fields=["next_visit_due"])
        if number % 5 != 0:
            case_change_status(actor=officers[area_name], case=case, to_status=CaseStatus.ACTIVE, reason="Allocated.")
        if number % 4 == 0:
            case_access_grant(
                actor=users["supervisor.north"],
                case=case,
                agency=agencies["Northshire Children's Social Care"],
                source_kind=GrantSource.MEETING,
                source_id=demo_marac_id,
                shares_victim_contact=True,
                purpose="MARAC: children in the household",
            )
        if number % 5 == 0:
            case_access_grant(
                actor=users["supervisor.north"],
                case=case,
                agency=agencies["Change Path Perpetrator Programme"],
                source_kind=GrantSource.MEETING,
                source_id=demo_marac_id,
                shares_victim_contact=True,
                purpose="Perpetrator panel: behaviour-change programme",
            )
        if number % 2 == 0:  # every area gets some
            _demo_casework(
                case=Case.objects.get(pk=case.pk),
                officer=officers[area_name],
                victim=victims[0],
                yes_answers=rng.randrange(4, 20),
                rng=rng,
            )
        chronology_record(
            case=case,
            kind=ChronologyKind.NOTE,
            summary="Victim spoken to by phone on the safe number; agreed next contact.",
            actor=officers[area_name],
            visibility=ChronologyVisibility.VICTIM_SIDE,
        )
        chronology_record(
            case=case,
            kind=ChronologyKind.NOTE,
            summary="Perpetrator's address checked; intelligence shared with the offender manager.",
            actor=officers[area_name],
        )
        _demo_notes(case=Case.objects.get(pk=case.pk), officer=officers[area_name], idva=users["idva"])
    _demo_equipment(officers["North"])
    _demo_satisfaction(officers["North"])
    _demo_tasking(supervisor=users["supervisor.north"], officer=officers["North"], area=police.areas.get(name="West"))
    cast = DemoCast(
        admin=admin, inspector=users["inspector"], officers=officers, users=users, agencies=agencies, police=police
    )
    demo_history(cast, operation=operation, rng=rng)
    return True


def _demo_satisfaction(officer: User) -> None:
    """One North victim's satisfaction survey, answered by phone through her safe contact; the other
    victims are still to be asked (their case pages offer it)."""
    link = CaseVictim.objects.filter(case__spoc=officer).select_related("case", "victim").order_by("case__pk").first()
    if link is None:
        return
    survey_record(
        actor=officer,
        case=link.case,
        victim=link.victim,
        outcome=SurveyOutcome.ANSWERED,
        method=SurveyMethod.PHONE,
        surveyed_on=timezone.localdate() - datetime.timedelta(days=3),
        answers={
            "ease_of_contact": "very_satisfied",
            "actions_taken": "fairly_satisfied",
            "progress_updates": "fairly_dissatisfied",
            "treatment_by_staff": "completely_satisfied",
            "whole_experience": "very_satisfied",
        },
    )


def _demo_tasking(*, supervisor: User, officer: User, area: Area) -> None:
    """This month's top 5 for West, owned by the North DS (an inspector's role here), two entries
    tasked out today to the North officer, one with its result recorded."""
    snapshot = tasking_snapshot_take(actor=supervisor, area=area, month=timezone.localdate(), top_n=5)
    entries = list(snapshot.entries.order_by("rank"))
    tasking_inspectors_set(
        actor=supervisor, snapshot=snapshot, changes={entry.pk: (None, supervisor.pk) for entry in entries[:3]}
    )
    for entry, kind in zip(entries[:2], [TaskingKind.PATROL, TaskingKind.BAIL_CHECK], strict=False):
        tasking_assign(actor=supervisor, entry=entry, officer=officer, kind=kind, instructions="Evening shift")
    first = DailyTasking.objects.filter(entry__snapshot=snapshot).order_by("pk").first()
    if first is not None:
        tasking_result_record(actor=officer, tasking=first, result=TaskingResult.PATROL_DONE)


def _demo_equipment(officer: User) -> None:
    """A fund, four items on the force's register, one fitted at the home of a North victim, who is
    also screened for stalking."""
    fund = fund_create(actor=officer, name="Perpetrator intervention fund")
    today = timezone.localdate()
    items = [
        item_add(
            actor=officer,
            kind=kind,
            asset_number=number,
            fund=fund,
            cost=Decimal(cost),
            bought_on=today - datetime.timedelta(days=60),
            description=description,
        )
        for kind, number, cost, description in (
            (EquipmentKind.VIDEO_DOORBELL, "VD-0101", "129.99", "Video doorbell with cloud recording"),
            (EquipmentKind.VIDEO_DOORBELL, "VD-0102", "129.99", "Video doorbell with cloud recording"),
            (EquipmentKind.PERSONAL_ALARM, "PA-0201", "39.50", "GPS personal alarm"),
            (EquipmentKind.DASH_CAMERA, "DC-0301", "89.00", "Front and rear dash camera"),
        )
    ]
    case = Case.objects.filter(spoc=officer).exclude(status=CaseStatus.CLOSED).order_by("pk").first()
    victim = case.victims.first() if case is not None else None
    if case is not None and victim is not None:
        item_issue(
            actor=officer,
            case=case,
            item=items[0],
            victim=victim,
            issued_on=today - datetime.timedelta(days=14),
            installed_on=today - datetime.timedelta(days=13),
            installed_at="Front door",
        )
        # She described being followed to work: a screening with high-risk answers, not yet referred.
        stalking_screening_record(
            actor=officer,
            case=case,
            victim=victim,
            answers=dict.fromkeys(STALKING_KEYS, "no") | {"following": "yes", "threats": "yes"},
            notes="Followed to work twice this week; messages from new numbers.",
        )


def _demo_notes(*, case: Case, officer: User, idva: User) -> None:
    """A contact with the victim (victim side), a perpetrator-side note, and the IDVA's contact on
    the cases they hold."""
    today = timezone.localdate()
    note_write(
        actor=officer,
        case=case,
        kind=NoteKind.CONTACT,
        side=NoteSide.VICTIM,
        occurred_on=today - datetime.timedelta(days=2),
        method=ContactMethod.PHONE,
        with_whom="The victim, on the safe number",
        outcome="Safe; agreed to a visit next week",
        text="Victim spoken to by phone on the safe number. No contact from the perpetrator since the bail conditions.",
    )
    note_write(
        actor=officer,
        case=case,
        kind=NoteKind.NOTE,
        side=NoteSide.PERPETRATOR,
        occurred_on=today - datetime.timedelta(days=1),
        text="Perpetrator's address checked; intelligence shared with the offender manager.",
    )
    if case.idva_id == idva.pk:
        note_write(
            actor=idva,
            case=case,
            kind=NoteKind.CONTACT,
            side=NoteSide.VICTIM,
            occurred_on=today,
            method=ContactMethod.VISIT,
            with_whom="The victim, at a safe venue",
            outcome="Safety plan reviewed",
            text="Met at the library. Go-bag discussed; panic alarm to be fitted.",
        )


def _demo_casework(*, case: Case, officer: User, victim: Victim, yes_answers: int, rng: random.Random) -> None:
    """A visit, a DASH assessment, a bail condition and a safety plan on some demo cases."""
    now = timezone.now()
    visit_log(
        actor=officer,
        case=case,
        victim=None,
        occurred_at=now - datetime.timedelta(days=rng.randrange(1, 10)),
        outcome=VisitOutcome.SEEN,
        notes="Perpetrator at home; reminded of bail conditions.",
    )
    answers = {key: Answer.YES if index < yes_answers else Answer.NO for index, key in enumerate(QUESTION_KEYS)}
    risk_assessment_record(actor=officer, case=case, victim=victim, answers=answers)
    today = timezone.localdate()
    order_record(
        actor=officer,
        case=case,
        kind=OrderKind.BAIL,
        starts_on=today - datetime.timedelta(days=20),
        ends_on=today + datetime.timedelta(days=rng.randrange(2, 40)),
        conditions="Not to contact the victim directly or indirectly; not to enter her street.",
        protected_victims=[victim],
    )
    plan = safety_plan_for(case=case, victim=victim)
    chosen = {
        "target_locks": (MeasureStatus.IN_PLACE, "Police crime prevention", None),
        "silent_999": (MeasureStatus.IN_PLACE, officer.get_full_name(), None),
        "escape_plan": (MeasureStatus.PROPOSED, "IDVA", today),
    }
    measures: dict[str, MeasureInput] = {
        key: {"status": chosen[key][0], "owner": chosen[key][1], "due_on": chosen[key][2], "notes": ""}
        if key in chosen
        else {"status": "", "owner": "", "due_on": None, "notes": ""}
        for key in MEASURE_KEYS
    }
    safety_plan_save(actor=officer, plan=plan, expected_version=0, measures=measures)
