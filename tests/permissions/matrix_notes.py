"""Notes pages in the permission matrix: a victim-side note on the case, written by its SPOC
(perpetrator-side agencies never reach it), and the printable summary."""

from django.utils import timezone

from notes.models import Note, NoteKind, NoteSide
from tests.permissions.test_matrix import ACTORS, PERPETRATOR_SIDE_PARTNERS, SEE_CASE


def entries(world) -> dict:
    case = world.case
    note = Note.objects.filter(case=case, side=NoteSide.VICTIM).first() or Note.objects.create(
        case=case,
        kind=NoteKind.NOTE,
        side=NoteSide.VICTIM,
        author=case.spoc,
        occurred_on=timezone.localdate(),
        text="Victim moved to refuge in Leeds.",
    )
    see = {a: 200 if a in SEE_CASE else 404 for a in ACTORS}
    # Everyone who sees the case and works on cases writes notes; the analyst reads them only.
    write = {a: (403 if a == "analyst" else 200) if a in SEE_CASE else 404 for a in ACTORS}
    see_note = {a: 200 if a in SEE_CASE - PERPETRATOR_SIDE_PARTNERS else 404 for a in ACTORS}
    annotate = {
        a: (403 if a == "analyst" else 200) if a in SEE_CASE - PERPETRATOR_SIDE_PARTNERS else 404 for a in ACTORS
    }
    # Only its author corrects a note (within 24 hours).
    edit = {
        a: (200 if a == "assigned_officer" else 403) if a in SEE_CASE - PERPETRATOR_SIDE_PARTNERS else 404
        for a in ACTORS
    }
    return {
        "notes:list": ("get", [case.public_id], see),
        "notes:new": ("get", [case.public_id], write),
        "notes:detail": ("get", [case.public_id, note.public_id], see_note, annotate),
        "notes:edit": ("get", [case.public_id, note.public_id], edit),
        "casefile:summary": ("get", [case.public_id], see),
    }
