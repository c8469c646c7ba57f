"""What a file is, read from its bytes, and a safe name for it.

Only these kinds are accepted: PDF, PNG, JPEG, Word (.docx) and plain text. The browser's content
type and the file's extension are ignored: the type comes from the bytes (their "magic number"),
and the name the file is downloaded under gets the extension of the type found.
"""

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from dacrre.core.exceptions import ApplicationError


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


PDF = FileType("application/pdf", "pdf", "PDF")
PNG = FileType("image/png", "png", "PNG image")
JPEG = FileType("image/jpeg", "jpg", "JPEG image")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "Word document")
TEXT = FileType("text/plain", "txt", "Text")
ALLOWED = (PDF, PNG, JPEG, DOCX, TEXT)
ALLOWED_LABELS = "PDF, PNG, JPEG, Word (.docx) or plain text"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r"[^\w .()\-]")
NAME_LENGTH = 100


def _is_docx(data: bytes) -> bool:
    """A Word document is a ZIP holding the Open XML parts of a word-processing document. Macros
    (.docm) and other ZIPs are not."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                return False
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return False
            types = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, ValueError, RuntimeError):
        return False
    return b"wordprocessingml.document.main+xml" in types


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not _CONTROL.search(text)


def file_type_of(data: bytes) -> FileType | None:
    """The allowed type the bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(data) else None
    if data and _is_text(data):
        return TEXT
    return None


def file_type_check(data: bytes, *, max_bytes: int) -> FileType:
    """The file's type, or the reason it is refused (a message for the upload form)."""
    if not data:
        raise ApplicationError("The selected file is empty", field="file")
    if len(data) > max_bytes:
        raise ApplicationError(f"The selected file must be smaller than {max_bytes // (1024 * 1024)} MB", field="file")
    found = file_type_of(data)
    if found is None:
        raise ApplicationError(f"The selected file must be a {ALLOWED_LABELS}", field="file")
    return found


def filename_sanitised(name: str, file_type: FileType) -> str:
    """A name safe to give a download: no folders, control or special characters, at most 100
    characters, ending in the extension of the type found."""
    base = unicodedata.normalize("NFKC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = _CONTROL.sub("", base)
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = _UNSAFE_NAME.sub("_", stem)
    stem = re.sub(r"\s+", " ", stem).strip(" ._") or "document"
    return f"{stem[: NAME_LENGTH - len(file_type.extension) - 1]}.{file_type.extension}"
