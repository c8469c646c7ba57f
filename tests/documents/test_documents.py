"""Adding, listing, previewing and downloading documents, through the pages, as their users do."""

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, ChronologyEntry, ChronologyKind
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from documents.models import Document, DocumentVisibility, ScanStatus, TargetKind
from tests.documents.conftest import PDF, PNG, TEXT, docx_bytes
from tests.factories import (
    AreaFactory,
    IdvaAgencyFactory,
    ProbationAgencyFactory,
    UserFactory,
    grant_case_to,
)


def upload(client, target, record_id, *, data=PDF, name="order.pdf", title="Non-molestation order", **extra):
    fields = {
        "title": title,
        "kind": "court_order",
        "visibility": "all",
        "file": SimpleUploadedFile(name, data, content_type="application/octet-stream"),
        **extra,
    }
    return client.post(reverse("documents:new", args=[target, record_id]), fields)


@pytest.mark.django_db
def test_the_spoc_adds_a_pdf_to_a_case_and_reads_it_back(login, spoc_case) -> None:
    officer, case = spoc_case
    client = login(officer)
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "No documents." in page
    assert reverse("documents:new", args=["case", case.public_id]) in page

    assert client.get(reverse("documents:new", args=["case", case.public_id])).status_code == 200
    response = upload(client, "case", case.public_id, name="../Order 3 March.PDF")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.public_id])

    document = Document.objects.get()
    assert (document.target_kind, document.case, document.title) == (TargetKind.CASE, case, "Non-molestation order")
    assert (document.filename, document.content_type, document.size) == (
        "Order 3 March.pdf",
        "application/pdf",
        len(PDF),
    )
    assert document.scan_status == ScanStatus.NOT_SCANNED
    assert "Order" not in document.storage_name and default_storage.exists(document.storage_name)
    assert ChronologyEntry.objects.filter(case=case, kind=ChronologyKind.DOCUMENT).exists()

    case_page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Document added: Non-molestation order. It has not been scanned for malware." in case_page
    assert reverse("documents:detail", args=[document.public_id]) in case_page
    assert "Not scanned" in case_page

    detail = client.get(reverse("documents:detail", args=[document.public_id])).content.decode()
    assert "Order 3 March.pdf" in detail and "has not been scanned for malware" in detail
    assert reverse("documents:download", args=[document.public_id]) in detail
    assert reverse("documents:preview", args=[document.public_id]) in detail

    preview = client.get(reverse("documents:preview", args=[document.public_id]))
    assert preview.status_code == 200 and preview.content == PDF
    assert preview["Content-Type"] == "application/pdf"
    assert preview["Content-Disposition"].startswith("inline")
    assert "default-src 'none'" in preview["Content-Security-Policy"]
    assert preview["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in preview["Cache-Control"]

    download = client.get(reverse("documents:download", args=[document.public_id]))
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"] == 'attachment; filename="Order 3 March.pdf"'
    assert "sandbox" in download["Content-Security-Policy"]

    logged = AccessLog.objects.filter(object_type="document", object_id=str(document.public_id))
    assert sorted(logged.values_list("action", "object_label")) == sorted(
        [
            (AccessAction.VIEW, "Document page: Non-molestation order"),
            (AccessAction.VIEW, "Document preview: Non-molestation order"),
            (AccessAction.EXPORT, "Document download: Non-molestation order"),
        ]
    )
    assert set(logged.values_list("case_reference", "person_id")) == {
        (case.reference, str(case.perpetrator.person.public_id))
    }


@pytest.mark.django_db
def test_an_image_is_shown_on_its_page_from_the_app(login, spoc_case) -> None:
    officer, case = spoc_case
    client = login(officer)
    upload(client, "case", case.public_id, data=PNG, name="injury.png", title="Photo of the door", kind="photo")
    document = Document.objects.get()
    detail = client.get(reverse("documents:detail", args=[document.public_id])).content.decode()
    assert f'src="{reverse("documents:preview", args=[document.public_id])}"' in detail
    preview = client.get(reverse("documents:preview", args=[document.public_id]))
    assert preview["Content-Type"] == "image/png" and "sandbox" in preview["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_word_file_or_text_is_downloaded_not_previewed(login, spoc_case) -> None:
    officer, case = spoc_case
    client = login(officer)
    upload(client, "case", case.public_id, data=docx_bytes(), name="letter.docx", title="Letter")
    upload(client, "case", case.public_id, data=TEXT, name="note.html", title="Note")
    for document in Document.objects.all():
        assert client.get(reverse("documents:preview", args=[document.public_id])).status_code == 404
        assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 200
    assert Document.objects.get(title="Note").filename == "note.txt"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00", "setup.pdf", "The selected file must be a PDF, PNG, JPEG, Word (.docx) or plain text"),
        (b"", "empty.pdf", "The selected file is empty"),
    ],
)
def test_a_refused_file_is_explained_and_the_form_kept(login, spoc_case, data, name, message) -> None:
    officer, case = spoc_case
    client = login(officer)
    response = upload(client, "case", case.public_id, data=data, name=name, title="What I typed")
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and "There is a problem" in page
    assert 'value="What I typed"' in page
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(login, spoc_case, settings) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    officer, case = spoc_case
    response = upload(login(officer), "case", case.public_id, data=PDF + b" " * (1024 * 1024))
    assert "The selected file must be smaller than 1 MB" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_the_same_form_sent_twice_adds_one_document(login, spoc_case) -> None:
    officer, case = spoc_case
    client = login(officer)
    page = client.get(reverse("documents:new", args=["case", case.public_id])).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    for _ in range(2):
        response = upload(client, "case", case.public_id, form_token=token)
        assert response.status_code == 302
    assert Document.objects.count() == 1


@pytest.mark.django_db
def test_a_closed_case_is_read_only(login, spoc_case) -> None:
    officer, case = spoc_case
    case.status, case.closed_at = CaseStatus.CLOSED, timezone.now()
    case.save()
    client = login(officer)
    assert "Add a document" not in client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    response = client.get(reverse("documents:new", args=["case", case.public_id]), follow=True)
    assert "it is read only" in response.content.decode()
    assert upload(client, "case", case.public_id).status_code == 302
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_documents_on_each_kind_of_record(login, spoc_case) -> None:
    """A visit, an order, a referral, a meeting and a person each take documents on their own page."""
    from meetings.models import MeetingKind
    from meetings.services import meeting_add_case, meeting_schedule
    from orders.models import OrderKind
    from orders.services import order_record
    from referrals.models import Consent, Sharing, Urgency
    from referrals.services import referral_create
    from visits.models import VisitOutcome
    from visits.services import visit_log

    officer, case = spoc_case
    officer.role, officer.scope = Role.OFFICER, Scope.AREA
    officer.save()
    victim = case.victims.get()
    visit = visit_log(
        actor=officer, case=case, victim=None, occurred_at=timezone.now(), outcome=VisitOutcome.SEEN, notes="Seen."
    )
    order = order_record(
        actor=officer, case=case, kind=OrderKind.BAIL, starts_on=timezone.localdate(), ends_on=None, conditions="None."
    )
    referral = referral_create(
        actor=officer,
        case=case,
        subject_person=victim.person,
        to_agency=IdvaAgencyFactory(),
        reason="Support.",
        urgency=Urgency.STANDARD,
        sharing=Sharing.SUMMARY,
        consent=Consent.GIVEN,
        consent_method="verbal",
    )
    meeting = meeting_schedule(
        actor=officer, kind=MeetingKind.MARAC, held_on=timezone.localdate(), attending_agencies=[]
    )
    meeting_add_case(actor=officer, meeting=meeting, case=case)
    client = login(officer)
    pages = {
        "visit": (visit.public_id, reverse("visits:detail", args=[case.public_id, visit.public_id])),
        "order": (order.public_id, reverse("orders:detail", args=[case.public_id, order.public_id])),
        "referral": (referral.public_id, reverse("referrals:detail", args=[referral.public_id])),
        "meeting": (meeting.public_id, reverse("meetings:detail", args=[meeting.public_id])),
        "person": (victim.person.public_id, reverse("victims:detail", args=[victim.public_id])),
    }
    for kind, (record_id, page) in pages.items():
        shown = client.get(page).content.decode()
        assert reverse("documents:new", args=[kind, record_id]) in shown, kind
        visibility = "victim_side" if kind == "person" else "all"  # a victim's documents are victim-side
        response = upload(client, kind, record_id, title=f"About the {kind}", visibility=visibility)
        assert response.status_code == 302 and response["Location"] == page, kind
        document = Document.objects.get(title=f"About the {kind}")
        assert document.target_kind == kind
        assert f"About the {kind}" in client.get(page).content.decode()
        assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 200
    assert Document.objects.get(title="About the visit").case == case  # visits, orders, referrals: their case's too
    assert Document.objects.get(title="About the meeting").case is None
    case_page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "About the visit" in case_page and "About the order" in case_page and "About the referral" in case_page


@pytest.fixture
def shared_case(spoc_case):
    """A case shared with an IDVA service (without contact details) and a probation service."""
    officer, case = spoc_case
    idva_agency, probation = IdvaAgencyFactory(), ProbationAgencyFactory()
    grant_case_to(case, idva_agency, shares_victim_contact=False)
    grant_case_to(case, probation, shares_victim_contact=True)
    idva = UserFactory(area=AreaFactory(agency=idva_agency), role=Role.IDVA, scope=Scope.AGENCY)
    offender_manager = UserFactory(area=AreaFactory(agency=probation), role=Role.PARTNER_CASEWORKER, scope=Scope.AGENCY)
    return officer, case, idva, offender_manager


@pytest.mark.django_db
def test_each_side_sees_only_what_its_visibility_allows(login, shared_case) -> None:
    officer, case, idva, offender_manager = shared_case
    client = login(officer)
    for visibility in DocumentVisibility.values:
        assert (
            upload(client, "case", case.public_id, title=f"Doc {visibility}", visibility=visibility).status_code == 302
        )
    documents = {d.visibility: d for d in Document.objects.all()}
    sees = {
        officer: {"all", "victim_side", "victim_contact"},
        idva: {"all", "victim_side"},  # no contact details were shared with the IDVA service
        offender_manager: {"all"},  # perpetrator-side: never victim-side documents
    }
    for user, allowed in sees.items():
        client = login(user)
        case_page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
        for visibility, document in documents.items():
            expected = 200 if visibility in allowed else 404
            assert (f"Doc {visibility}" in case_page) == (visibility in allowed), (user.role, visibility)
            for name in ("documents:detail", "documents:preview", "documents:download"):
                response = client.get(reverse(name, args=[document.public_id]))
                assert response.status_code == expected, (user.role, visibility, name)


@pytest.mark.django_db
def test_a_user_may_only_give_visibilities_they_could_see(login, shared_case) -> None:
    _, case, _, offender_manager = shared_case
    client = login(offender_manager)
    page = client.get(reverse("documents:new", args=["case", case.public_id])).content.decode()
    assert 'value="victim_side"' not in page and 'value="all"' in page
    response = upload(client, "case", case.public_id, visibility="victim_side")
    assert "Select a valid choice" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_documents_of_victim_visits_are_victim_side(login, shared_case) -> None:
    from visits.models import VisitOutcome
    from visits.services import visit_log

    officer, case, _, offender_manager = shared_case
    visit = visit_log(
        actor=officer,
        case=case,
        victim=case.victims.get(),
        occurred_at=timezone.now(),
        outcome=VisitOutcome.SEEN,
        notes="Seen at home.",
    )
    client = login(officer)
    form = client.get(reverse("documents:new", args=["visit", visit.public_id])).content.decode()
    assert 'value="all"' not in form and 'value="victim_side"' in form  # never "everyone" on a victim's visit
    assert "Select a valid choice" in upload(client, "visit", visit.public_id, visibility="all").content.decode()
    upload(client, "visit", visit.public_id, title="Photo from the victim visit", visibility="victim_side")
    upload(client, "person", case.victims.get().person.public_id, title="Letter to her", visibility="victim_side")
    document = Document.objects.get(title="Photo from the victim visit")
    client = login(offender_manager)
    victim_page = client.get(reverse("victims:detail", args=[case.victims.get().public_id])).content.decode()
    assert "Letter to her" not in victim_page and "Add a document" not in victim_page
    assert (
        "Photo from the victim visit" not in client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    )
    assert client.get(reverse("documents:download", args=[document.public_id])).status_code == 404


@pytest.mark.django_db
def test_someone_who_cannot_see_the_case_gets_404_and_no_log_of_content(login, spoc_case) -> None:
    officer, case = spoc_case
    upload(login(officer), "case", case.public_id)
    document = Document.objects.get()
    stranger = UserFactory()  # another force's officer
    client = login(stranger)
    for name in ("documents:detail", "documents:preview", "documents:download"):
        assert client.get(reverse(name, args=[document.public_id])).status_code == 404
    assert client.get(reverse("documents:new", args=["case", case.public_id])).status_code == 404
    assert not AccessLog.objects.filter(user=stranger, object_type="document").exists()


@pytest.mark.django_db
def test_an_analyst_sees_documents_but_adds_none(login, spoc_case) -> None:
    officer, case = spoc_case
    upload(login(officer), "case", case.public_id)
    analyst = UserFactory(area=officer.area, role=Role.ANALYST, scope=Scope.AGENCY)
    client = login(analyst)
    page = client.get(reverse("cases:detail", args=[case.public_id])).content.decode()
    assert "Non-molestation order" in page and "Add a document" not in page
    assert client.get(reverse("documents:new", args=["case", case.public_id])).status_code == 403


@pytest.mark.django_db
def test_the_case_page_reads_documents_in_a_fixed_number_of_queries(login, spoc_case) -> None:
    officer, case = spoc_case
    client = login(officer)
    url = reverse("cases:detail", args=[case.public_id])
    upload(client, "case", case.public_id, title="First")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(4):
        upload(client, "case", case.public_id, title=f"More {n}")
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert "More 3" in page and "First" in page
    assert len(five) == len(one)
