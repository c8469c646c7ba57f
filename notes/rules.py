"""Who may read and write case notes and contacts (the user already sees the case)."""

from cases.models import Case, CaseStatus
from dacrre.accounts.models import CASEWORK_ROLES, User
from dacrre.accounts.predicates import predicate

from .models import Note, NoteSide


def sides_seen_by(user: User) -> set[str]:
    """Victim-side notes are for victim-side agencies (and the police, on both sides); every agency
    that sees the case reads its perpetrator-side notes."""
    return {NoteSide.VICTIM, NoteSide.PERPETRATOR} if user.is_victim_side else {NoteSide.PERPETRATOR}


def sides_written_by(user: User) -> list[str]:
    """A perpetrator-side agency writes perpetrator-side notes only (it could not read the others)."""
    return [side for side in NoteSide.values if side in sides_seen_by(user)]


@predicate("notes.view")
def can_view_notes(user: User, case: Case) -> bool:
    """Everyone who sees the case reads the notes of the sides they may see."""
    return user.agency_id is not None


@predicate("notes.write")
def can_write_notes(user: User, case: Case) -> bool:
    """Every casework role that sees the case writes notes and contacts, while the case is open."""
    return user.role in CASEWORK_ROLES and user.agency_id is not None and case.status != CaseStatus.CLOSED


@predicate("notes.edit")
def can_edit_note(user: User, note: Note) -> bool:
    """Its author, for 24 hours after writing it; later it is annotated instead."""
    return note.author_id == user.pk and note.editable_now() and can_write_notes(user, note.case)


@predicate("notes.annotate")
def can_annotate_note(user: User, note: Note) -> bool:
    return can_write_notes(user, note.case)
