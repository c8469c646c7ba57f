"""Case notes and the contact log.

A note is written by anyone who works on the case, about its victim side or its perpetrator side;
a contact is a note of a phone call, visit, e-mail, letter, text or meeting with someone, and its
outcome. Victim-side notes are never shown to perpetrator-side agencies. A note can be corrected by
its author for 24 hours (every version kept); after that it is only annotated, the original left
as it was.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Case
from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel, TimeStampedModel

EDITABLE_FOR = datetime.timedelta(hours=24)


class NoteKind(models.TextChoices):
    NOTE = "note", "Case note"
    CONTACT = "contact", "Contact"


class NoteSide(models.TextChoices):
    VICTIM = "victim", "Victim side"
    PERPETRATOR = "perpetrator", "Perpetrator side"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    VISIT = "visit", "Visit"
    EMAIL = "email", "E-mail"
    LETTER = "letter", "Letter"
    TEXT = "text", "Text message"
    MEETING = "meeting", "Meeting"
    OTHER = "other", "Other"


class Note(PublicIdModel, TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=16, choices=NoteKind.choices, default=NoteKind.NOTE)
    side = models.CharField(max_length=16, choices=NoteSide.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField(default=timezone.localdate)
    method = models.CharField(max_length=16, choices=ContactMethod.choices, blank=True)
    with_whom = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=500, blank=True)
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [models.Index(fields=["case", "side", "-occurred_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(side__in=NoteSide.values), name="note_side_valid"),
            models.CheckConstraint(condition=Q(kind__in=NoteKind.values), name="note_kind_valid"),
            models.CheckConstraint(condition=Q(kind=NoteKind.NOTE) | ~Q(method=""), name="note_contact_has_method"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d/%m/%Y}"

    @property
    def editable_until(self) -> datetime.datetime:
        return self.created_at + EDITABLE_FOR

    def editable_now(self) -> bool:
        return timezone.now() < self.editable_until

    def access_subject(self) -> AccessSubject:
        return AccessSubject(
            object_type="note",
            object_id=self.public_id,
            label=f"{self.get_kind_display()} on case {self.case.reference}",
            case_reference=self.case.reference,
        )


class Annotation(TimeStampedModel):
    """Added to a note later; never changed, and never changes the note."""

    note = models.ForeignKey(Note, on_delete=models.CASCADE, related_name="annotations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Annotation of {self.note_id}"
