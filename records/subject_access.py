"""A subject access export: every record about one person that the force holds in the app, as a
workbook to review and redact before anything is disclosed, with the files of the documents that may
be disclosed.

Each item says whose data it is and what to do with it:
- the subject's own data: disclose (subject to the exemptions the data protection officer applies);
- another person's (a victim, a child, a perpetrator, anyone else named): redact, unless the
  officer decides otherwise;
- staff names: disclose or redact under the force's own policy;
- free text written by staff (notes, reasons, conditions): review, it may name others.
Victims' contact details and victim-side documents are never in the export of anyone but that
victim: they are listed as withheld, without their content.
"""

import io
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from openpyxl import Workbook

from cases.models import CASE_HOLDER_FIELDS, Case, ChronologyVisibility
from dacrre.accounts.models import User
from dacrre.core.csv_export import spreadsheet_safe
from dacrre.core.exceptions import NotFoundError
from documents.models import Document, DocumentVisibility
from documents.services import document_content
from experience.models import SatisfactionSurvey
from incidents.models import Incident
from people.models import Person

SUBJECT = "The subject"
DISCLOSE = "Disclose"
REDACT = "Third party: redact unless you decide otherwise"
STAFF = "Staff: disclose or redact under the force's policy"
REVIEW = "Free text: review, it may name others"
WITHHELD = "Withheld: another person's data, not in this export"
HEADER = ["Record", "Reference", "Date", "What", "Value", "Whose data", "Action"]


@dataclass
class Export:
    person: Person
    rows: list[list[object]] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    withheld_documents: list[Document] = field(default_factory=list)
    third_parties: dict[int, tuple[str, Person]] = field(default_factory=dict)

    def add(self, record: str, reference: str, date: object, what: str, value: object, whose: str, action: str) -> None:
        self.rows.append([record, reference, date, what, "" if value is None else value, whose, action])

    def other(self, record: str, reference: str, date: object, role: str, person: Person) -> None:
        if person.pk == self.person.pk:
            return
        self.third_parties.setdefault(person.pk, (role, person))
        self.add(record, reference, date, role, person.full_name, f"Third party ({role.lower()})", REDACT)

    def staff(self, record: str, reference: str, date: object, what: str, user: User | None) -> None:
        if user is not None:
            self.add(record, reference, date, what, user.get_full_name() or user.username, "Staff", STAFF)


def subject_get_for(user: User, public_id: uuid.UUID | str) -> Person:
    """One of the people the user's force holds (`people_of_force`)."""
    person = people_of_force(user).filter(public_id=public_id).first()
    if person is None:
        raise NotFoundError("Person not found.")
    return person


def people_of_force(user: User) -> QuerySet[Person]:
    """Everyone the user's force holds in the app: in its cases (any role) or its incidents."""
    cases = Case.objects.filter(owning_agency_id=user.agency_id)
    incidents = Incident.objects.filter(recording_agency_id=user.agency_id)
    return Person.objects.filter(
        Q(perpetrator__cases__in=cases)
        | Q(victim__cases__in=cases)
        | Q(child__cases__in=cases)
        | Q(perpetrator__incidents__in=incidents)
        | Q(victim__incidents__in=incidents)
        | Q(child__incidents_present_at__in=incidents)
    ).distinct()


def _cases_of(person: Person, agency_id: int) -> QuerySet[Case]:
    return (
        Case.objects.filter(owning_agency_id=agency_id)
        .filter(Q(perpetrator__person=person) | Q(victims__person=person) | Q(children__person=person))
        .distinct()
        .select_related("perpetrator__person", "operation", "area", *CASE_HOLDER_FIELDS)
        .order_by("opened_at")
    )


def _person_rows(export: Export) -> None:
    person = export.person
    for what, value in [
        ("Name", person.full_name),
        ("Date of birth", person.date_of_birth),
        ("Gender", person.get_gender_display()),
        ("Police identifier", person.police_identifier),
    ]:
        export.add("Person", "", None, what, value, SUBJECT, DISCLOSE)
    victim = getattr(person, "victim", None)
    confidential = getattr(victim, "confidential", None) if victim is not None else None
    if confidential is not None:
        for what in (
            "address",
            "postcode",
            "phone",
            "email",
            "safe_contact_arrangements",
            "refuge_details",
            "workplace",
        ):
            value = getattr(confidential, what)
            if value:
                label = str(confidential._meta.get_field(what).verbose_name).capitalize()
                export.add("Contact details", "", None, label, value, SUBJECT, DISCLOSE)


def _case_rows(export: Export, case: Case) -> None:  # noqa: C901
    person, ref = export.person, case.reference
    is_perpetrator = case.perpetrator.person_id == person.pk
    role = "Perpetrator" if is_perpetrator else "Victim or child"
    export.add("Case", ref, case.opened_at.date(), "The subject's role", role, SUBJECT, DISCLOSE)
    for what, value in [
        ("Operation", case.operation.name),
        ("Area", case.area.name),
        ("Status", case.get_status_display()),
        ("Risk level", case.get_risk_level_display()),
        ("Closed", case.closed_at.date() if case.closed_at else ""),
    ]:
        export.add("Case", ref, None, what, value, SUBJECT, DISCLOSE)
    export.other("Case", ref, None, "Perpetrator", case.perpetrator.person)
    for link in case.case_victims.select_related("victim__person"):
        export.other("Case", ref, None, "Victim", link.victim.person)
        if link.victim.person_id != person.pk and hasattr(link.victim, "confidential"):
            export.add("Case", ref, None, "Victim's contact details", "", "Third party (victim)", WITHHELD)
    for child_link in case.case_children.select_related("child__person"):
        export.other("Case", ref, None, "Child", child_link.child.person)
    export.staff("Case", ref, None, "SPOC", case.spoc)
    export.staff("Case", ref, None, "Offender manager", case.offender_manager)
    export.staff("Case", ref, None, "IDVA", case.idva)
    export.staff("Case", ref, None, "Stalking specialist officer", case.stalking_officer)
    export.staff("Case", ref, None, "Stalking IDVA", case.stalking_idva)
    entries = case.chronology.select_related("actor").order_by("occurred_at")
    if is_perpetrator:
        entries = entries.filter(visibility=ChronologyVisibility.ALL)
    for entry in entries:
        export.add(
            "Chronology", ref, entry.occurred_at.date(), entry.get_kind_display(), entry.summary, "Mixed", REVIEW
        )
    for visit in case.visits.select_related("victim__person"):
        if visit.victim is not None and visit.victim.person_id != person.pk:
            continue  # a visit to another person, a victim: theirs
        if visit.victim is None and not is_perpetrator:
            continue
        moment = visit.occurred_at or visit.planned_for
        when = moment.date() if moment else None
        export.add("Visit", ref, when, visit.get_status_display(), visit.get_outcome_display(), SUBJECT, DISCLOSE)
        if visit.notes:
            export.add("Visit", ref, when, "Notes", visit.notes, "Mixed", REVIEW)
    for assessment in case.risk_assessments.filter(victim__person=person):
        export.add(
            "Risk assessment",
            ref,
            assessment.assessed_at.date(),
            "Level",
            assessment.get_final_level_display(),
            SUBJECT,
            DISCLOSE,
        )
    for plan in case.safety_plans.filter(victim__person=person).prefetch_related("measures"):
        for measure in plan.measures.all():
            export.add("Safety plan", ref, measure.due_on, measure.key, measure.get_status_display(), SUBJECT, DISCLOSE)
    for order in case.orders.all():
        export.add(
            "Protective order", ref, order.starts_on, order.get_kind_display(), order.conditions, "Mixed", REVIEW
        )
    for referral in case.referrals.filter(subject_person=person).select_related("to_agency"):
        export.add(
            "Referral", referral.reference, referral.created_at.date(), "To", referral.recipient_name, SUBJECT, DISCLOSE
        )
        export.add("Referral", referral.reference, None, "Reason", referral.reason, "Mixed", REVIEW)
        export.add("Referral", referral.reference, None, "Status", referral.get_status_display(), SUBJECT, DISCLOSE)
    for application in case.disclosure_applications.filter(person_at_risk__person=person):
        export.add(
            "Clare's Law application",
            ref,
            application.received_on,
            application.get_route_display(),
            application.get_decision_display() or "Not decided",
            SUBJECT,
            DISCLOSE,
        )
    # The victim's own satisfaction survey: in her export only, never in another person's.
    for survey in SatisfactionSurvey.objects.filter(case=case, victim__person=person):
        export.add(
            "Satisfaction survey", ref, survey.surveyed_on, "Took part", survey.get_outcome_display(), SUBJECT, DISCLOSE
        )
        for aspect, answer in survey.answers():
            export.add("Satisfaction survey", ref, survey.surveyed_on, aspect, answer, SUBJECT, DISCLOSE)


def _incident_rows(export: Export, agency_id: int) -> None:
    person = export.person
    incidents = (
        Incident.objects.filter(recording_agency_id=agency_id)
        .filter(Q(perpetrator__person=person) | Q(victims__person=person) | Q(children_present__person=person))
        .distinct()
        .select_related("perpetrator__person")
        .prefetch_related("victims__person", "children_present__person")
        .order_by("occurred_at")
    )
    for incident in incidents:
        ref, day = incident.source_reference, incident.occurred_at.date()
        export.add("Incident", ref, day, "Offence", incident.get_offence_category_display(), SUBJECT, DISCLOSE)
        export.other("Incident", ref, day, "Perpetrator", incident.perpetrator.person)
        for victim in incident.victims.all():
            export.other("Incident", ref, day, "Victim", victim.person)
        for child in incident.children_present.all():
            export.other("Incident", ref, day, "Child", child.person)
        if incident.summary:
            export.add("Incident", ref, day, "Summary", incident.summary, "Mixed", REVIEW)


def _documents(export: Export, cases: Iterable[Case]) -> None:
    """Documents about the subject: attached to them, or to their cases (and their visits, orders,
    referrals). For anyone but the victim concerned, victim-side ones are withheld."""
    person = export.person
    case_ids = [case.pk for case in cases]
    perpetrator_cases = {case.pk for case in cases if case.perpetrator.person_id == person.pk}
    documents = Document.objects.filter(Q(person=person) | Q(case_id__in=case_ids)).select_related("visit__victim")
    for document in documents.order_by("uploaded_at"):
        visited = document.visit.victim if document.visit is not None else None
        theirs = document.person_id == person.pk or (visited is not None and visited.person_id == person.pk)
        if theirs:
            export.documents.append(document)
        elif visited is not None or document.visibility == DocumentVisibility.VICTIM_CONTACT:
            export.withheld_documents.append(document)  # another victim's visit, or someone's address
        elif document.visibility == DocumentVisibility.VICTIM_SIDE and document.case_id in perpetrator_cases:
            export.withheld_documents.append(document)
        else:
            export.documents.append(document)


def subject_access_export(*, person: Person, agency_id: int) -> Export:
    export = Export(person=person)
    _person_rows(export)
    cases = list(_cases_of(person, agency_id))
    for case in cases:
        _case_rows(export, case)
    _incident_rows(export, agency_id)
    _documents(export, cases)
    return export


def _safe(value: object) -> object:
    return value if isinstance(value, int | float) or value is None else spreadsheet_safe(value)


def export_zip(export: Export, *, reference: str) -> bytes:
    """The workbook (records, documents, how to read it) and the documents' files, as one ZIP."""
    book = Workbook()
    about = book.create_sheet("About", 0)
    book.remove(book.worksheets[1])
    for line in [
        [f"Subject access export {reference}: {export.person.full_name}"],
        ["Every record about the subject that the force holds in dacrre. Review before disclosing:"],
        [f"'{DISCLOSE}': the subject's own data."],
        [f"'{REDACT}': another person's data."],
        [f"'{STAFF}'."],
        [f"'{REVIEW}'."],
        [f"'{WITHHELD}': never disclosed to the subject."],
    ]:
        about.append(line)
    records = book.create_sheet("Records")
    records.append(HEADER)
    for row in export.rows:
        records.append([_safe(value) for value in row])
    files = book.create_sheet("Documents")
    files.append(["File", "Title", "Kind", "Added", "Action"])
    names: list[tuple[str, Document]] = []
    for number, document in enumerate(export.documents, start=1):
        name = f"documents/{number:03d}-{document.filename}"
        names.append((name, document))
        files.append([name, _safe(document.title), document.get_kind_display(), document.uploaded_at.date(), REVIEW])
    for document in export.withheld_documents:
        files.append(
            [
                "(not included)",
                "Victim-side document",
                document.get_kind_display(),
                document.uploaded_at.date(),
                WITHHELD,
            ]
        )
    workbook = io.BytesIO()
    book.save(workbook)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("subject-access.xlsx", workbook.getvalue())
        for name, document in names:
            archive.writestr(name, document_content(document))
    return buffer.getvalue()
