"""Merging two records of the same person, and putting them back apart.

A merge never deletes anything. Every row that pointed at the merged record (or at its perpetrator,
victim or child role) is pointed at the kept one, and each move is written to `PersonMerge.changes`
so that an administrator can reverse it exactly. Which tables refer to a person is worked out from
the models, so a table added later is moved too (tests check the list); the exceptions below say
why they are left where they are.
"""

from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from dacrre.accounts.models import User
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record
from dacrre.core.exceptions import ApplicationError, InvalidTransitionError

from .models import CandidateStatus, DuplicateCandidate, Person, PersonMerge

# Not moved by a merge: scores are recomputed from incidents, tasking lists are frozen snapshots of a
# month, and the review records themselves must keep naming the two records they were about.
NOT_MOVED = {
    "scoring.perpetratorscore",
    "scoring.taskingentry",
    "people.duplicatecandidate",
    "people.personmerge",
    "people.person",
}
# The roles a person can hold (perpetrator, victim, child): (name of the role's one-to-one field's
# reverse accessor on Person, the role's model, its confidential details' model). Each app that
# holds a role registers it when it starts (person_role_register in its AppConfig.ready).
ROLES: list[tuple[str, type[models.Model], type[models.Model] | None]] = []


def person_role_register(name: str, model: type[models.Model], confidential: type[models.Model] | None = None) -> None:
    """A merge moves the merged record's `name` role to the kept record, or, when both hold it, every
    row pointing at the merged role, and fills the kept role's blank `confidential` details."""
    if all(registered != name for registered, _model, _confidential in ROLES):
        ROLES.append((name, model, confidential))


def references_to(model: type[models.Model]) -> list[tuple[type[models.Model], Any]]:
    """Every foreign key (including many-to-many link tables) that points at `model`, other than
    history tables, one-to-one role and confidential records, and NOT_MOVED."""
    found = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, models.ForeignObjectRel) or not relation.one_to_many:
            continue
        related = relation.related_model
        assert related is not None  # noqa: S101 - a reverse relation always has its model
        if related._meta.label_lower in NOT_MOVED or related.__name__.startswith("Historical"):
            continue
        found.append((related, relation.field))
    return found


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


class _Recorder:
    def __init__(self) -> None:
        self.changes: list[dict[str, Any]] = []
        self.left: list[str] = []

    def move(self, model: type[models.Model], pk: int, attname: str, old: Any, new: Any) -> bool:
        try:
            with transaction.atomic():
                model._default_manager.filter(pk=pk).update(**{attname: new})
        except IntegrityError:
            # The kept record is already on this row's partner (e.g. both on one case): the row
            # stays with the merged record and the reviewer is told.
            self.left.append(f"{model._meta.verbose_name} {pk}")
            return False
        self.changes.append({"model": _label(model), "pk": pk, "field": attname, "old": old, "new": new})
        return True

    def move_references(self, target: type[models.Model], old_pk: int, new_pk: int) -> None:
        for related, field in references_to(target):
            for pk in related._default_manager.filter(**{field.attname: old_pk}).values_list("pk", flat=True):
                self.move(related, pk, field.attname, old_pk, new_pk)


def _role(person: Person, name: str) -> Any:
    try:
        return getattr(person, name)
    except models.ObjectDoesNotExist:
        return None


def _fill_blank_details(
    recorder: _Recorder, model: type[models.Model], kept: models.Model | None, merged: models.Model | None
) -> None:
    """Contact details only the merged record holds are copied to the kept one, field by field,
    never overwriting what the kept record says."""
    if kept is None or merged is None:
        return
    for field in model._meta.concrete_fields:
        if field.primary_key or isinstance(field, models.OneToOneField) or field.name in {"created_at", "updated_at"}:
            continue
        mine, theirs = getattr(kept, field.attname), getattr(merged, field.attname)
        if mine in ("", None, False) and theirs not in ("", None, False):
            recorder.move(model, kept.pk, field.attname, mine, theirs)


@transaction.atomic
def people_merge(
    *, actor: User, kept: Person, merged: Person, reason: str, candidate: DuplicateCandidate | None = None
) -> PersonMerge:
    if kept.pk == merged.pk:
        raise ApplicationError("A record cannot be merged with itself.")
    kept = Person.objects.select_for_update().get(pk=kept.pk)
    merged = Person.objects.select_for_update().get(pk=merged.pk)
    if kept.merged_into_id or merged.merged_into_id:
        raise InvalidTransitionError("One of these records has already been merged into another.")
    if not reason.strip():
        raise ApplicationError("Say why these are the same person.")
    recorder = _Recorder()
    for name, role_model, confidential_model in ROLES:
        merged_role, kept_role = _role(merged, name), _role(kept, name)
        if merged_role is None:
            continue
        if kept_role is None:
            recorder.move(role_model, merged_role.pk, "person_id", merged.pk, kept.pk)
            continue
        recorder.move_references(role_model, merged_role.pk, kept_role.pk)
        if confidential_model is not None:
            _fill_blank_details(
                recorder, confidential_model, _role(kept_role, "confidential"), _role(merged_role, "confidential")
            )
    recorder.move_references(Person, merged.pk, kept.pk)
    if not kept.date_of_birth and merged.date_of_birth:
        recorder.move(Person, kept.pk, "date_of_birth", None, merged.date_of_birth.isoformat())
    recorder.move(Person, merged.pk, "merged_into_id", None, kept.pk)
    merge = PersonMerge.objects.create(
        kept=kept, merged=merged, candidate=candidate, merged_by=actor, reason=reason.strip(), changes=recorder.changes
    )
    if candidate is not None:
        _decide(candidate, actor, CandidateStatus.MERGED, reason)
    access_log_record(
        user=actor,
        action=AccessAction.MERGE,
        object_type="person merge",
        object_id=merge.pk,
        object_label=f"{merged} merged into {kept}",
        person_id=kept.public_id,
        person_label=str(kept),
        detail=f"{len(recorder.changes)} rows moved"
        + (f"; left with the merged record: {', '.join(recorder.left)}" if recorder.left else ""),
        reason=reason.strip(),
    )
    return merge


@transaction.atomic
def person_merge_reverse(*, actor: User, merge: PersonMerge, reason: str) -> list[str]:
    """Put every moved row back. Rows changed again since the merge are left as they are now and
    listed in the return value (and on the access log) for the administrator to look at."""
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.reversed_at is not None:
        raise InvalidTransitionError("This merge has already been reversed.")
    if not reason.strip():
        raise ApplicationError("Say why the merge is being reversed.")
    not_restored = []
    for change in reversed(merge.changes):
        model = apps.get_model(change["model"])
        restored = model._default_manager.filter(pk=change["pk"], **{change["field"]: change["new"]}).update(
            **{change["field"]: change["old"]}
        )
        if not restored:
            not_restored.append(f"{change['model']} {change['pk']} {change['field']}")
    merge.reversed_by, merge.reversed_at, merge.reversal_reason = actor, timezone.now(), reason.strip()
    merge.save(update_fields=["reversed_by", "reversed_at", "reversal_reason"])
    if merge.candidate_id is not None:
        DuplicateCandidate.objects.filter(pk=merge.candidate_id).update(
            status=CandidateStatus.KEPT_APART,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_note=f"Merge reversed by an administrator: {reason.strip()}",
        )
    access_log_record(
        user=actor,
        action=AccessAction.UNMERGE,
        object_type="person merge",
        object_id=merge.pk,
        object_label=f"{merge.merged} separated from {merge.kept}",
        person_id=merge.kept.public_id,
        person_label=str(merge.kept),
        detail=f"{len(merge.changes) - len(not_restored)} rows restored"
        + (f"; changed since and left: {', '.join(not_restored)}" if not_restored else ""),
        reason=reason.strip(),
    )
    return not_restored


def _decide(candidate: DuplicateCandidate, actor: User, status: str, note: str) -> None:
    candidate.status, candidate.decided_by, candidate.decided_at = status, actor, timezone.now()
    candidate.decision_note = note.strip()
    candidate.save(update_fields=["status", "decided_by", "decided_at", "decision_note", "updated_at"])


@transaction.atomic
def duplicate_keep_apart(*, actor: User, candidate: DuplicateCandidate, note: str = "") -> DuplicateCandidate:
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != CandidateStatus.OPEN:
        raise InvalidTransitionError("This pair has already been decided.")
    _decide(candidate, actor, CandidateStatus.KEPT_APART, note or "Different people.")
    return candidate


@transaction.atomic
def duplicate_merge(*, actor: User, candidate: DuplicateCandidate, keep: Person, reason: str) -> PersonMerge:
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != CandidateStatus.OPEN:
        raise InvalidTransitionError("This pair has already been decided.")
    pair = {candidate.first_id: candidate.first, candidate.second_id: candidate.second}
    if keep.pk not in pair:
        raise ApplicationError("Choose one of the two records to keep.")
    merged = next(person for pk, person in pair.items() if pk != keep.pk)
    return people_merge(actor=actor, kept=keep, merged=merged, reason=reason, candidate=candidate)


def duplicate_candidates_raise(*, agency_id: int, pairs: list[tuple[int, int, str]]) -> int:
    """Queue pairs for review; a pair already queued (in either order, whatever its status) is not
    raised again, so re-imports and later decisions stay as they are."""
    rows = [
        DuplicateCandidate(first_id=min(a, b), second_id=max(a, b), reason=reason[:200], agency_id=agency_id)
        for a, b, reason in pairs
        if a != b
    ]
    created = DuplicateCandidate.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(created)
