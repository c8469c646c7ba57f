"""Opening a case by hand, and adding victims and children to a case.

A case opened by hand names its perpetrator (a person already known, or a new one), the operation,
the area and why; the people at risk are added to it afterwards, each with their relationship to
the perpetrator. Every write is in one transaction with its chronology entry."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from cases.models import (
    Case,
    CaseChild,
    CaseStatus,
    CaseVictim,
    ChildRelationship,
    ChronologyKind,
    ChronologyVisibility,
    OpeningReason,
    Operation,
    VictimRelationship,
)
from cases.services import case_open, case_require_open, case_victim_added, chronology_record
from dacrre.accounts.models import Area, Role, Scope, User
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError, PermissionDeniedError
from people.models import Gender, Person
from people.services import person_create
from perpetrators.services import perpetrator_register
from victims.services import child_register, victim_register

from .rules import can_add_person, can_open_case
from .selectors import people_known_to


@dataclass(frozen=True)
class NewPerson:
    """What the user typed about someone not yet recorded."""

    given_name: str
    family_name: str
    date_of_birth: datetime.date | None = None
    gender: str = Gender.NOT_KNOWN
    police_identifier: str = ""


def _person(*, actor: User, person: Person | None, new: NewPerson | None, perpetrator: bool = False) -> Person:
    if person is not None:
        return person
    if new is None or not new.given_name.strip() or not new.family_name.strip():
        raise ApplicationError("Enter the person's given and family names, or choose someone already recorded.")
    police_id = new.police_identifier.strip()
    if police_id and (recorded := Person.objects.filter(police_identifier=police_id).first()) is not None:
        return _holder_of_identifier(actor, recorded, new, perpetrator=perpetrator)
    try:
        with transaction.atomic():
            return person_create(
                actor=actor,
                given_name=new.given_name.strip(),
                family_name=new.family_name.strip(),
                date_of_birth=new.date_of_birth,
                gender=new.gender or Gender.NOT_KNOWN,
                police_identifier=police_id or None,
            )
    except IntegrityError:  # the same identifier recorded a moment ago
        recorded = Person.objects.get(police_identifier=police_id)
        return _holder_of_identifier(actor, recorded, new, perpetrator=perpetrator)


def _holder_of_identifier(actor: User, recorded: Person, new: NewPerson, *, perpetrator: bool) -> Person:
    """Someone already holds the police identifier typed for a new person. Police identifiers are
    national: a perpetrator another force recorded is the same person here, when the family name and
    date of birth typed are theirs, and the case names them without showing anything else of theirs
    (their other cases stay out of sight). Never a victim or a child the user cannot see: their record
    carries where they live (a refuge's address, a school), which the identifier must not open to
    someone who only typed it. Otherwise the user is told what to do, and no second record holds the
    identifier."""
    recorded = recorded.merged_into or recorded
    known = people_known_to(actor).filter(pk=recorded.pk).exists()
    police = actor.agency is not None and actor.agency.is_police
    same = (
        recorded.family_name.strip().casefold() == new.family_name.strip().casefold()
        and new.date_of_birth is not None
        and recorded.date_of_birth == new.date_of_birth
    )
    if same and (known or (police and perpetrator)):
        return recorded
    if known:
        raise ApplicationError(
            "Someone with another family name or date of birth is recorded with this police identifier: "
            "search for them by it and use them, or check the identifier.",
            field="police_identifier",
        )
    if police and perpetrator:
        raise ApplicationError(
            "This police identifier is recorded for someone whose family name or date of birth is not the "
            "one you entered: check the identifier and the date of birth. If both are right, leave the "
            "identifier blank and the duplicate review will compare the two records.",
            field="police_identifier",
        )
    raise ApplicationError(
        "This police identifier is already recorded, in records you cannot see: leave it blank (the "
        "duplicate review will compare the two records).",
        field="police_identifier",
    )


def areas_to_open_in(actor: User) -> QuerySet[Area]:
    """The force's areas; a supervisor whose scope is their area opens cases there only (a case
    elsewhere would be out of their sight)."""
    areas = Area.objects.filter(agency=actor.agency)
    if actor.role == Role.SUPERVISOR and actor.scope != Scope.AGENCY:
        areas = areas.filter(users=actor)
    return areas


@transaction.atomic
def case_open_by_hand(
    *,
    actor: User,
    person: Person | None,
    new_person: NewPerson | None = None,
    operation: Operation,
    area: Area,
    reason: OpeningReason | str,
    reason_detail: str = "",
) -> Case:
    """Open a case on a perpetrator in one of the actor's force's operations and areas. A
    perpetrator already with an open case in the operation is refused (their case is named)."""
    if not can_open_case(actor):
        raise PermissionDeniedError("Cases are opened by a force's officers and supervisors.")
    if operation.lead_agency_id != actor.agency_id or not operation.is_active:
        raise ApplicationError("Choose an open operation of your force.", field="operation")
    if not areas_to_open_in(actor).filter(pk=area.pk).exists():
        raise ApplicationError("Choose an area of your force that you work in.", field="area")
    operation_areas = set(operation.areas.values_list("pk", flat=True))
    if operation_areas and area.pk not in operation_areas:
        raise ApplicationError(f"{operation} does not work in {area.name}: choose one of its areas.", field="area")
    if reason not in OpeningReason.values:
        raise ApplicationError("Choose why the case is being opened.", field="reason")
    if reason == OpeningReason.OTHER and not reason_detail.strip():
        raise ApplicationError("Say why the case is being opened.", field="reason_detail")
    chosen = _person(actor=actor, person=person, new=new_person, perpetrator=True)
    perpetrator = perpetrator_register(actor=actor, person=chosen)
    # Two officers opening a case on the same perpetrator at once: the perpetrator's row decides.
    type(perpetrator).objects.select_for_update().filter(pk=perpetrator.pk).first()
    existing = (
        Case.objects.filter(operation=operation, perpetrator=perpetrator).exclude(status=CaseStatus.CLOSED).first()
    )
    if existing is not None:
        raise InvalidTransitionError(
            f"{chosen.full_name} already has an open case in {operation}: {existing.reference}.", field="operation"
        )
    # An officer who opens a case is its SPOC until a supervisor staffs it (so that they see it).
    spoc = actor if actor.role == Role.OFFICER else None
    case = case_open(
        actor=actor, operation=operation, perpetrator=perpetrator, owning_agency=area.agency, area=area, spoc=spoc
    )
    case.opening_reason, case.opening_note = reason, reason_detail.strip()
    case._history_user = actor  # type: ignore[attr-defined]
    case.save(update_fields=["opening_reason", "opening_note", "updated_at"])
    why = OpeningReason(reason).label + (f": {reason_detail.strip()}" if reason_detail.strip() else "")
    chronology_record(case=case, kind=ChronologyKind.CASE_OPENED, actor=actor, summary=f"Opened by hand. Why: {why}")
    return case


def _require_may_add(actor: User, case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    case_require_open(locked)
    if not can_add_person(actor, locked):
        raise PermissionDeniedError("Victims and children are added by the owning force and victim-side IDVAs.")
    return locked


@transaction.atomic
def case_victim_add(
    *,
    actor: User,
    case: Case,
    person: Person | None,
    new_person: NewPerson | None = None,
    relationship: VictimRelationship | str,
    lives_with_perpetrator: bool,
) -> CaseVictim:
    case = _require_may_add(actor, case)
    if relationship not in VictimRelationship.values:
        raise ApplicationError("Choose the victim's relationship to the perpetrator.", field="relationship")
    chosen = _person(actor=actor, person=person, new=new_person)
    if chosen.pk == case.perpetrator.person_id:
        raise ApplicationError("This is the case's perpetrator.", field="person")
    victim = victim_register(actor=actor, person=chosen)
    if CaseVictim.objects.filter(case=case, victim=victim).exists():
        raise ApplicationError(f"{chosen.full_name} is already a victim on this case.", field="person")
    link = CaseVictim(
        case=case, victim=victim, relationship=relationship, lives_with_perpetrator=lives_with_perpetrator
    )
    link._history_user = actor  # type: ignore[attr-defined]
    link.save()
    case_victim_added(link)
    together = "lives with the perpetrator" if lives_with_perpetrator else "does not live with the perpetrator"
    chronology_record(
        case=case,
        kind=ChronologyKind.PERSON_ADDED,
        actor=actor,
        summary=f"Victim added: {chosen.full_name} ({link.get_relationship_display().lower()}, {together}).",
        visibility=ChronologyVisibility.VICTIM_SIDE,
    )
    return link


@transaction.atomic
def case_child_add(
    *,
    actor: User,
    case: Case,
    person: Person | None,
    new_person: NewPerson | None = None,
    relationship: ChildRelationship | str,
) -> CaseChild:
    case = _require_may_add(actor, case)
    if relationship not in ChildRelationship.values:
        raise ApplicationError("Choose whose child this is.", field="relationship")
    chosen = _person(actor=actor, person=person, new=new_person)
    if chosen.pk == case.perpetrator.person_id:
        raise ApplicationError("This is the case's perpetrator.", field="person")
    child = child_register(actor=actor, person=chosen)
    if CaseChild.objects.filter(case=case, child=child).exists():
        raise ApplicationError(f"{chosen.full_name} is already a child on this case.", field="person")
    link = CaseChild(case=case, child=child, relationship=relationship)
    link._history_user = actor  # type: ignore[attr-defined]
    link.save()
    chronology_record(
        case=case,
        kind=ChronologyKind.PERSON_ADDED,
        actor=actor,
        summary=f"Child added: {chosen.full_name} ({link.get_relationship_display().lower()}).",
        visibility=ChronologyVisibility.VICTIM_SIDE,
    )
    return link
