"""Writing case notes and contacts, correcting them within 24 hours, and annotating them. Each write
checks the case is open and the user may write on that side, and goes on the case's chronology
(victim-side notes as victim-side entries)."""

import datetime

from django.db import transaction

from cases.closed import case_require_open
from cases.models import Case, ChronologyKind, ChronologyVisibility
from cases.services import chronology_record
from dacrre.accounts.models import User
from dacrre.core import dates
from dacrre.core.exceptions import ApplicationError, PermissionDeniedError
from reminders.models import ReminderKind
from reminders.services import protection_gap_close

from .models import Annotation, Note, NoteKind, NoteSide
from .rules import can_edit_note, can_write_notes, sides_written_by


def _check(*, actor: User, case: Case, kind: str, side: str, method: str, occurred_on: datetime.date) -> None:
    if not can_write_notes(actor, case):
        raise PermissionDeniedError("You cannot write notes on this case.")
    if side not in sides_written_by(actor):
        raise ApplicationError("Your agency writes perpetrator-side notes only.", field="side")
    if kind == NoteKind.CONTACT and not method:
        raise ApplicationError("Choose how the contact was made", field="method")
    dates.NOTE_OCCURRED.check(occurred_on, field="occurred_on")


def _visibility(side: str) -> str:
    return ChronologyVisibility.VICTIM_SIDE if side == NoteSide.VICTIM else ChronologyVisibility.ALL


@transaction.atomic
def note_write(
    *,
    actor: User,
    case: Case,
    kind: str,
    side: str,
    text: str,
    occurred_on: datetime.date,
    method: str = "",
    with_whom: str = "",
    outcome: str = "",
) -> Note:
    case_require_open(case)
    _check(actor=actor, case=case, kind=kind, side=side, method=method, occurred_on=occurred_on)
    note = Note(
        case=case,
        kind=kind,
        side=side,
        author=actor,
        occurred_on=occurred_on,
        method=method if kind == NoteKind.CONTACT else "",
        with_whom=with_whom,
        outcome=outcome,
        text=text,
    )
    note._history_user = actor  # type: ignore[attr-defined]
    note.save()
    summary = f"{note.get_kind_display()} ({note.get_side_display().lower()})"
    if note.method:
        summary += f": {note.get_method_display().lower()}"
    chronology_record(case=case, kind=ChronologyKind.NOTE, summary=summary, actor=actor, visibility=_visibility(side))
    if kind == NoteKind.CONTACT and side == NoteSide.VICTIM:
        # A contact on the victim's side answers the protection gap's "contact the victim".
        protection_gap_close(case=case, kind=ReminderKind.PROTECTION_ENDS_VICTIM_CONTACT, done_on=occurred_on)
    return note


@transaction.atomic
def note_correct(
    *,
    actor: User,
    note: Note,
    text: str,
    occurred_on: datetime.date,
    method: str = "",
    with_whom: str = "",
    outcome: str = "",
) -> Note:
    """The author corrects their note within 24 hours; the earlier version stays in its history."""
    note = Note.objects.select_for_update().select_related("case").get(pk=note.pk)
    case_require_open(note.case)
    if not can_edit_note(actor, note):
        raise PermissionDeniedError("Only its author can correct a note, within 24 hours of writing it: annotate it.")
    _check(actor=actor, case=note.case, kind=note.kind, side=note.side, method=method, occurred_on=occurred_on)
    note.text, note.occurred_on, note.with_whom, note.outcome = text, occurred_on, with_whom, outcome
    if note.kind == NoteKind.CONTACT:
        note.method = method
    note._history_user = actor  # type: ignore[attr-defined]
    note.save()
    return note


@transaction.atomic
def note_annotate(*, actor: User, note: Note, text: str) -> Annotation:
    """An annotation is appended; the note itself is not touched."""
    case_require_open(note.case)
    if not can_write_notes(actor, note.case) or note.side not in sides_written_by(actor):
        raise PermissionDeniedError("You cannot annotate this note.")
    if not text.strip():
        raise ApplicationError("Enter the annotation", field="text")
    annotation = Annotation.objects.create(note=note, author=actor, text=text)
    chronology_record(
        case=note.case,
        kind=ChronologyKind.NOTE,
        summary=f"{note.get_kind_display()} of {note.occurred_on:%d/%m/%Y} annotated",
        actor=actor,
        visibility=_visibility(note.side),
    )
    return annotation
