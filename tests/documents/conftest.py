"""Files of each allowed kind, and a case with its SPOC, for the documents tests."""

import io
import zipfile

import pytest

from tests.factories import CaseFactory, CaseVictimFactory, UserFactory

# Small but real: each starts with its type's magic number (and the PDF is plain ASCII).
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
TEXT = b"Letter from the housing officer about the tenancy.\n"


def docx_bytes(*, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


@pytest.fixture
def spoc_case(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    CaseVictimFactory(case=case)
    return officer, case
