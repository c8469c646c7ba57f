"""Documents attached to a case, a person, a visit, an order, a referral or a meeting.

The file itself is in the document store (the `default` storage: a folder on the quick start, a
private S3-compatible bucket in production) under a random name that says nothing about its
content; this row holds what the app knows about it. A document is seen by whoever sees what it is
attached to, less what its own visibility withholds (`documents.rules`), and is read only through
`documents.access.document_for`, which writes the access log.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from dacrre.core.models import PublicIdModel


class DocumentKind(models.TextChoices):
    COURT_ORDER = "court_order", "Court order"
    PHOTO = "photo", "Photograph"
    LETTER = "letter", "Letter"
    FOOTAGE_STILL = "footage_still", "Still from footage"
    STATEMENT = "statement", "Statement"
    OTHER = "other", "Other"


class DocumentVisibility(models.TextChoices):
    """The document's own side, on top of the visibility of what it is attached to."""

    ALL = "all", "Everyone who can see what it is attached to"
    VICTIM_SIDE = "victim_side", "Victim-side agencies only"
    VICTIM_CONTACT = "victim_contact", "Contains a victim's address or contact details"


class ScanStatus(models.TextChoices):
    CLEAN = "clean", "Scanned: no malware found"
    NOT_SCANNED = "not_scanned", "Not scanned: no malware scanner is set up"


class TargetKind(models.TextChoices):
    CASE = "case", "Case"
    VISIT = "visit", "Visit"
    ORDER = "order", "Protective order"
    REFERRAL = "referral", "Referral"
    MEETING = "meeting", "Meeting"
    PERSON = "person", "Person"


# Which link each kind of target sets. Visits, orders and referrals belong to a case, which the
# document names too: it goes wherever the case goes (retention, disposal, subject access).
TARGET_FIELDS: dict[str, tuple[str, ...]] = {
    TargetKind.CASE: ("case",),
    TargetKind.VISIT: ("case", "visit"),
    TargetKind.ORDER: ("case", "order"),
    TargetKind.REFERRAL: ("case", "referral"),
    TargetKind.MEETING: ("meeting",),
    TargetKind.PERSON: ("person",),
}
LINK_FIELDS = ("case", "visit", "order", "referral", "meeting", "person")


def _one_target() -> Q:
    condition = Q()
    for kind, fields in TARGET_FIELDS.items():
        condition |= Q(
            target_kind=kind,
            **{f"{name}__isnull": name not in fields for name in LINK_FIELDS},
        )
    return condition


class Document(PublicIdModel):
    target_kind = models.CharField(max_length=16, choices=TargetKind.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents", null=True)
    visit = models.ForeignKey("visits.Visit", on_delete=models.PROTECT, related_name="documents", null=True)
    order = models.ForeignKey("orders.ProtectiveOrder", on_delete=models.PROTECT, related_name="documents", null=True)
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="documents", null=True)
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.PROTECT, related_name="documents", null=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="documents", null=True)

    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    visibility = models.CharField(max_length=16, choices=DocumentVisibility.choices, default=DocumentVisibility.ALL)
    # The uploaded file's name, made safe (documents.content.filename_sanitised), for the download.
    filename = models.CharField(max_length=120)
    # Read from the file's bytes, never from what the browser said.
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # The name in the document store: random, no personal data.
    storage_name = models.CharField(max_length=200, unique=True)
    scan_status = models.CharField(max_length=16, choices=ScanStatus.choices)
    scanned_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=_one_target(), name="document_attached_to_one_record"),
            models.CheckConstraint(
                condition=Q(visibility__in=DocumentVisibility.values), name="document_visibility_valid"
            ),
            models.CheckConstraint(condition=Q(scan_status__in=ScanStatus.values), name="document_scan_status_valid"),
        ]
        indexes = [
            models.Index(fields=["case", "-uploaded_at"]),
            models.Index(fields=["meeting", "-uploaded_at"]),
            models.Index(fields=["person", "-uploaded_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def target(self) -> models.Model:
        """What the document is attached to."""
        return getattr(self, TARGET_FIELDS[self.target_kind][-1])

    @property
    def previewable(self) -> bool:
        return self.content_type in PREVIEWABLE

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


PREVIEWABLE = {"application/pdf", "image/png", "image/jpeg"}


class StoredFileRemoval(models.Model):
    """A file to remove from the document store once the transaction that let go of it has
    committed (a disposal): the job `documents-remove-files` removes it and this row, and tries again
    until it has gone. Holds the random storage name only."""

    storage_name = models.CharField(max_length=200, unique=True)
    queued_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.storage_name
