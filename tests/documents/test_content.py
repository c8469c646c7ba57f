"""The type of a file is read from its bytes; names are made safe."""

import pytest

from dacrre.core.exceptions import ApplicationError
from documents.content import DOCX, JPEG, PDF, PNG, TEXT, file_type_check, file_type_of, filename_sanitised
from tests.documents.conftest import JPEG as JPEG_BYTES
from tests.documents.conftest import PDF as PDF_BYTES
from tests.documents.conftest import PNG as PNG_BYTES
from tests.documents.conftest import TEXT as TEXT_BYTES
from tests.documents.conftest import docx_bytes


@pytest.mark.parametrize(
    ("data", "expected"),
    [(PDF_BYTES, PDF), (PNG_BYTES, PNG), (JPEG_BYTES, JPEG), (TEXT_BYTES, TEXT), (docx_bytes(), DOCX)],
)
def test_each_allowed_type_is_recognised_by_its_bytes(data, expected) -> None:
    assert file_type_of(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"\x7fELF\x02\x01\x01",  # a Linux program
        b"GIF89a\x01\x00",  # an image type not allowed
        docx_bytes(macros=True),  # a Word file with macros
        b"PK\x03\x04not really a zip",
        b"text with a bell \x07 in it",
        b"\xff\xfe\x00t\x00e\x00x\x00t",  # not UTF-8
    ],
)
def test_other_files_are_refused_with_the_kinds_allowed(data) -> None:
    with pytest.raises(ApplicationError) as refused:
        file_type_check(data, max_bytes=1024 * 1024)
    assert refused.value.message == "The selected file must be a PDF, PNG, JPEG, Word (.docx) or plain text"
    assert refused.value.field == "file"


def test_an_html_page_named_pdf_is_text_not_a_pdf() -> None:
    """The extension is ignored: an HTML page is text, served as text/plain and never as HTML."""
    assert file_type_of(b"<html><script>alert(1)</script></html>") == TEXT


def test_empty_and_too_large_files_are_refused() -> None:
    with pytest.raises(ApplicationError, match="The selected file is empty"):
        file_type_check(b"", max_bytes=10)
    with pytest.raises(ApplicationError, match="must be smaller than 1 MB"):
        file_type_check(PDF_BYTES + b" " * (1024 * 1024), max_bytes=1024 * 1024)


@pytest.mark.parametrize(
    ("name", "file_type", "expected"),
    [
        ("Court order 3 March.pdf", PDF, "Court order 3 March.pdf"),
        ("../../etc/passwd", TEXT, "passwd.txt"),
        ("C:\\Users\\me\\photo.JPG", JPEG, "photo.jpg"),
        ("invoice.pdf.exe", PDF, "invoice.pdf.pdf"),
        ('a<b>"c"|d?.png', PNG, "a_b__c__d.png"),
        ("\x00\x1f", PDF, "document.pdf"),
        ("", DOCX, "document.docx"),
        ("x" * 300 + ".pdf", PDF, "x" * 96 + ".pdf"),
    ],
)
def test_names_are_made_safe_and_end_in_the_type_found(name, file_type, expected) -> None:
    assert filename_sanitised(name, file_type) == expected
