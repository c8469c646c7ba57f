"""Adding documents, and removing stored files once nothing refers to them."""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from cases.models import ChronologyKind, ChronologyVisibility
from cases.services import case_require_open, chronology_record
from dacrre.accounts.models import User
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError

from .content import file_type_check, filename_sanitised
from .models import TARGET_FIELDS, Document, DocumentKind, DocumentVisibility, StoredFileRemoval
from .rules import can_add_document, is_victim_side_target, visibilities_for
from .scanning import file_scan
from .selectors import Target

logger = logging.getLogger(__name__)
TITLE_LENGTH = 200


def _storage_name_new() -> str:
    """A random name in the store: nothing in it says whose document it is."""
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


@transaction.atomic
def document_add(
    *,
    actor: User,
    target: Target,
    kind: DocumentKind | str,
    title: str,
    visibility: DocumentVisibility | str,
    filename: str,
    data: bytes,
) -> Document:
    """Check, scan and store a file, attached to a record the actor sees (`target`, from
    `target_get_for`). Refuses a closed case, an actor who may not add documents there, a visibility
    they could not see themselves, and a file that is empty, too large, not of an allowed type (read
    from its bytes) or in which the scanner finds malware. Written to the case's chronology."""
    if target.case is not None:
        case_require_open(target.case)
    if not can_add_document(actor, target.kind, target.record, target.case):
        raise PermissionDeniedError("You cannot add documents here.")
    title = " ".join(title.split())
    if not title:
        raise ApplicationError("Enter a title for the document", field="title")
    if len(title) > TITLE_LENGTH:
        raise ApplicationError(f"The title must be {TITLE_LENGTH} characters or fewer", field="title")
    if kind not in DocumentKind.values:
        raise ApplicationError("Select what kind of document it is", field="kind")
    victim_side = is_victim_side_target(target.kind, target.record)
    if visibility not in visibilities_for(actor, contact_allowed=target.contact_allowed, victim_side=victim_side):
        raise ApplicationError("Select who may see the document", field="visibility")
    file_type = file_type_check(data, max_bytes=settings.DOCUMENT_MAX_BYTES)
    scan = file_scan(data)
    links = {name: (target.case if name == "case" else target.record) for name in TARGET_FIELDS[target.kind]}
    storage_name = default_storage.save(_storage_name_new(), ContentFile(data))
    try:
        document = Document.objects.create(
            target_kind=target.kind,
            **links,
            kind=kind,
            title=title,
            visibility=visibility,
            filename=filename_sanitised(filename, file_type),
            content_type=file_type.content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            storage_name=storage_name,
            scan_status=scan.status,
            scanned_at=scan.scanned_at,
            uploaded_by=actor,
        )
        if target.case is not None:
            # Victim-side documents, and those of a visit to a victim, are victim-side in the chronology.
            withheld = visibility != DocumentVisibility.ALL or victim_side
            chronology_record(
                case=target.case,
                kind=ChronologyKind.DOCUMENT,
                actor=actor,
                # A document with a victim's contact details is not named: its title may say too much.
                summary=f"Document added to {target.label}: "
                + (document.get_kind_display() if visibility == DocumentVisibility.VICTIM_CONTACT else title),
                visibility=ChronologyVisibility.VICTIM_SIDE if withheld else ChronologyVisibility.ALL,
            )
    except BaseException:
        default_storage.delete(storage_name)  # never a stored file without its row
        raise
    return document


def document_content(document: Document) -> bytes:
    with default_storage.open(document.storage_name, "rb") as stored:
        return stored.read()


def stored_files_release(storage_names: list[str]) -> None:
    """Queue files for removal from the store, in the transaction that let go of them (a disposal):
    `stored_files_remove` removes them once it has committed, and again until they have gone."""
    StoredFileRemoval.objects.bulk_create(
        [StoredFileRemoval(storage_name=name) for name in storage_names], ignore_conflicts=True
    )


def stored_files_remove(limit: int = 500) -> int:
    """Remove queued files from the store (idempotent: a file already gone counts as removed).
    Returns how many were removed; failures stay queued with their error."""
    removed = 0
    for removal in StoredFileRemoval.objects.order_by("queued_at")[:limit]:
        try:
            default_storage.delete(removal.storage_name)
        except Exception as exc:  # noqa: BLE001 - the store's errors vary by backend; retried next run
            logger.error("A stored file could not be removed (%s): it stays queued", type(exc).__name__)
            StoredFileRemoval.objects.filter(pk=removal.pk).update(
                attempts=removal.attempts + 1, last_error=type(exc).__name__[:200]
            )
            continue
        StoredFileRemoval.objects.filter(pk=removal.pk).delete()
        removed += 1
    return removed
