"""Reads of documents, with visibility: what each is attached to must be visible to the user (each
kind of record by its own selector), then the document's own visibility (`documents.rules`)."""

import uuid
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from cases.models import Case, CaseStatus
from cases.selectors import case_victim_contact_allowed, cases_visible_to, cases_with_victim_contact_for
from dacrre.accounts.models import User
from dacrre.core.exceptions import NotFoundError
from meetings.models import Meeting
from meetings.selectors import meeting_get_for
from orders.models import ProtectiveOrder
from people.models import Person
from referrals.models import Referral
from referrals.selectors import referral_get_for, referrals_on_case
from visits.models import Visit

from .models import TARGET_FIELDS, Document, DocumentVisibility, TargetKind
from .rules import can_see_document_visibility, is_victim_side_target


@dataclass
class Target:
    """A record documents are attached to, as the user may see it."""

    kind: str
    record: object
    case: Case | None
    contact_allowed: bool

    @property
    def label(self) -> str:
        return target_label(self.kind, self.record)


def _person_q(person: Person) -> Q:
    return Q(perpetrator__person=person) | Q(victims__person=person) | Q(children__person=person)


def person_cases_for(user: User, person: Person) -> QuerySet[Case]:
    """The cases the user sees that the person is in (as perpetrator, victim or child)."""
    return cases_visible_to(user).filter(_person_q(person)).distinct()


def person_open_cases_for(user: User, person: Person) -> QuerySet[Case]:
    return person_cases_for(user, person).exclude(status=CaseStatus.CLOSED)


def _person_contact_allowed(user: User, person: Person) -> bool:
    return cases_with_victim_contact_for(user).filter(_person_q(person)).exists()


def _visit_get_for(user: User, public_id: uuid.UUID | str) -> Visit:
    visits = Visit.objects.select_related("case", "victim__person").filter(case__in=cases_visible_to(user))
    if user.is_perpetrator_side or user.agency_id is None:
        visits = visits.filter(victim__isnull=True)  # visits to victims are victim-side only
    try:
        return visits.get(public_id=public_id)
    except (Visit.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Visit not found.") from exc


def _order_get_for(user: User, public_id: uuid.UUID | str) -> ProtectiveOrder:
    try:
        return ProtectiveOrder.objects.select_related("case").get(public_id=public_id, case__in=cases_visible_to(user))
    except (ProtectiveOrder.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Order not found.") from exc


def _person_get_for(user: User, public_id: uuid.UUID | str) -> Person:
    try:
        person = Person.objects.get(public_id=public_id)
    except (Person.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Person not found.") from exc
    if not person_cases_for(user, person).exists():
        raise NotFoundError("Person not found.")
    return person


def target_get_for(user: User, kind: str, public_id: uuid.UUID | str) -> Target:
    """The record of this kind, if the user may see it; NotFoundError otherwise (missing and
    forbidden alike)."""
    if kind == TargetKind.CASE:
        try:
            case = cases_visible_to(user).select_related("perpetrator__person").get(public_id=public_id)
        except (Case.DoesNotExist, ValueError) as exc:
            raise NotFoundError("Case not found.") from exc
        return Target(kind, case, case, case_victim_contact_allowed(user, case))
    if kind == TargetKind.VISIT:
        visit = _visit_get_for(user, public_id)
        return Target(kind, visit, visit.case, case_victim_contact_allowed(user, visit.case))
    if kind == TargetKind.ORDER:
        order = _order_get_for(user, public_id)
        return Target(kind, order, order.case, case_victim_contact_allowed(user, order.case))
    if kind == TargetKind.REFERRAL:
        referral = referral_get_for(user, public_id)
        return Target(kind, referral, referral.case, case_victim_contact_allowed(user, referral.case))
    if kind == TargetKind.MEETING:
        meeting = meeting_get_for(user, public_id)
        chair = user.agency_id == meeting.chair_agency_id and not user.is_perpetrator_side
        return Target(kind, meeting, None, chair)
    if kind == TargetKind.PERSON:
        person = _person_get_for(user, public_id)
        return Target(kind, person, None, _person_contact_allowed(user, person))
    raise NotFoundError("No such record.")


def target_label(kind: str, record: object) -> str:
    if isinstance(record, Case):
        return f"Case {record.reference}"
    if isinstance(record, Visit):
        when = record.occurred_at or record.planned_for
        return f"Visit to {record.subject_label}" + (f" on {when:%-d %b %Y}" if when else "")
    if isinstance(record, ProtectiveOrder):
        return f"{record.get_kind_display()} from {record.starts_on:%-d %b %Y}"
    if isinstance(record, Referral):
        return f"Referral {record.reference}"
    if isinstance(record, Meeting):
        return str(record)
    if isinstance(record, Person):
        return record.full_name
    return str(record)


def _visible(user: User, documents: QuerySet[Document], *, contact_allowed: bool) -> QuerySet[Document]:
    allowed = [
        value
        for value in DocumentVisibility.values
        if can_see_document_visibility(user, value, contact_allowed=contact_allowed)
    ]
    return documents.filter(visibility__in=allowed).select_related("uploaded_by")


def documents_on(user: User, target: Target) -> QuerySet[Document]:
    """The documents attached to a record the user sees (got through `target_get_for`, or a page's
    own selector), as the user may see them."""
    documents = Document.objects.filter(**{TARGET_FIELDS[target.kind][-1]: target.record})
    if target.kind == TargetKind.CASE:
        documents = documents.filter(target_kind=TargetKind.CASE)
    if is_victim_side_target(target.kind, target.record) and (user.is_perpetrator_side or user.agency_id is None):
        return Document.objects.none()
    return _visible(user, documents, contact_allowed=target.contact_allowed)


def documents_on_case(user: User, case: Case) -> QuerySet[Document]:
    """Every document of a case the user sees (the case's own, and those of its visits, orders and
    referrals), less the visits and referrals the user may not see and what their visibility
    withholds. For the case page's panel."""
    documents = Document.objects.filter(case=case)
    if user.is_perpetrator_side or user.agency_id is None:
        documents = documents.exclude(visit__victim__isnull=False)
    documents = documents.filter(Q(referral__isnull=True) | Q(referral__in=referrals_on_case(user, case).values("pk")))
    return _visible(user, documents, contact_allowed=case_victim_contact_allowed(user, case)).select_related(
        "visit__victim__person", "visit__case__perpetrator__person", "order", "referral"
    )


def document_get_for(user: User, public_id: uuid.UUID | str) -> tuple[Document, Target]:
    """The document and what it is attached to, if the user may see both; NotFoundError otherwise."""
    try:
        document = Document.objects.select_related("case", "uploaded_by").get(public_id=public_id)
    except (Document.DoesNotExist, ValueError) as exc:
        raise NotFoundError("Document not found.") from exc
    record = document.target  # one query: what it is attached to, checked below by its own selector
    try:
        target = target_get_for(user, document.target_kind, record.public_id)  # type: ignore[attr-defined]
    except NotFoundError as exc:
        raise NotFoundError("Document not found.") from exc
    if not can_see_document_visibility(user, document.visibility, contact_allowed=target.contact_allowed):
        raise NotFoundError("Document not found.")
    if is_victim_side_target(target.kind, target.record) and (user.is_perpetrator_side or user.agency_id is None):
        raise NotFoundError("Document not found.")
    return document, target


def target_of(user: User, kind: str, record: object) -> Target:
    """A record a page has already fetched through its own selector, as a documents target."""
    if kind == TargetKind.CASE:
        case: Case | None = record  # type: ignore[assignment]
    elif kind in (TargetKind.VISIT, TargetKind.ORDER, TargetKind.REFERRAL):
        case = record.case  # type: ignore[attr-defined]
    else:
        case = None
    if case is not None:
        contact = case_victim_contact_allowed(user, case)
    elif kind == TargetKind.MEETING:
        contact = user.agency_id == record.chair_agency_id and not user.is_perpetrator_side  # type: ignore[attr-defined]
    else:
        contact = _person_contact_allowed(user, record)  # type: ignore[arg-type]
    return Target(kind, record, case, contact)
