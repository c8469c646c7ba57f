"""Document pages in the permission matrix: a court order anyone who sees the case may read, and a
letter with the victim's address (visibility "contains a victim's contact details"), which only the
owning force and agencies given contact details with consent may read: never a perpetrator-side
agency, even one granted the case (and the contact details).

Adding a document is for the casework roles who see the case; analysts see documents but add none.
The victims' confidentiality test reads these routes too, with its own case (tests/permissions/
test_victim_confidentiality.py): the letter it seeds is the one picked here."""

from documents.models import Document, DocumentKind, DocumentVisibility
from documents.selectors import target_of
from documents.services import document_add
from tests.permissions.test_matrix import ACTORS, PERPETRATOR_SIDE_PARTNERS, SEE_CASE

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ADDERS = SEE_CASE - {"analyst"}


def _document(world, visibility: str, title: str, filename: str, data: bytes) -> Document:
    found = Document.objects.filter(case=world.case, visibility=visibility).first()
    if found is not None:
        return found
    spoc = world.case.spoc
    return document_add(
        actor=spoc,
        target=target_of(spoc, "case", world.case),
        kind=DocumentKind.LETTER,
        title=title,
        visibility=visibility,
        filename=filename,
        data=data,
    )


def entries(world) -> dict:
    order = _document(world, DocumentVisibility.ALL, "Matrix court order", "order.pdf", PDF)
    letter = _document(
        world, DocumentVisibility.VICTIM_CONTACT, "Matrix tenancy letter", "letter.txt", b"Tenancy letter.\n"
    )
    see = {a: 200 if a in SEE_CASE else 404 for a in ACTORS}
    contact = {a: 200 if a in SEE_CASE - PERPETRATOR_SIDE_PARTNERS else 404 for a in ACTORS}
    return {
        # An empty POST comes back to those who may add, with the form's errors.
        "documents:new": (
            "get",
            ["case", world.case.public_id],
            {a: (200 if a in ADDERS else 403) if a in SEE_CASE else 404 for a in ACTORS},
        ),
        "documents:detail": ("get", [order.public_id], see),
        "documents:preview": ("get", [order.public_id], see),
        "documents:download": ("get", [letter.public_id], contact),
    }
