"""Writes for victim and child records and their confidential details."""

from django.db import transaction

from dacrre.accounts.models import User
from dacrre.core.exceptions import ConflictError, PermissionDeniedError
from people.models import Person

from .models import Child, ChildConfidential, Victim, VictimConfidential
from .rules import can_edit_child_details, can_edit_victim_details


@transaction.atomic
def victim_register(*, actor: User | None, person: Person, **confidential: object) -> Victim:
    """Give a person the victim role, with any confidential contact details."""
    victim, _ = Victim.objects.get_or_create(person=person)
    details, _ = VictimConfidential.objects.get_or_create(victim=victim)
    for field, value in confidential.items():
        setattr(details, field, value)
    details._history_user = actor  # type: ignore[attr-defined]
    details.full_clean()
    details.save()
    return victim


@transaction.atomic
def child_register(*, actor: User | None, person: Person, school: str = "") -> Child:
    child, _ = Child.objects.get_or_create(person=person)
    details, _ = ChildConfidential.objects.get_or_create(child=child)
    details.school = school
    details._history_user = actor  # type: ignore[attr-defined]
    details.save()
    return child


VICTIM_DETAIL_FIELDS = (
    "address",
    "postcode",
    "phone",
    "email",
    "safe_contact_arrangements",
    "in_refuge",
    "refuge_details",
    "workplace",
)


def details_version(details: VictimConfidential | ChildConfidential | None) -> str:
    """What the form was opened on: the details' last change (empty when there are none yet)."""
    return details.updated_at.isoformat() if details is not None and details.pk else ""


def _changed(details: object, values: dict[str, object]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(details, name) != value]
    for name in changed:
        setattr(details, name, values[name])
    return changed


def _conflict_check(details: object, version: str, what: str) -> None:
    if version != details_version(details):  # type: ignore[arg-type]
        raise ConflictError(
            f"Someone else changed {what} since you opened the form. Theirs are shown below and your "
            "changes are kept in the form: check them and save again."
        )


@transaction.atomic
def victim_details_update(*, actor: User, victim: Victim, version: str, values: dict[str, object]) -> list[str]:
    """Change a victim's contact details; refused (ConflictError) when someone else changed them since
    the form was opened (`version`). Returns the names of the fields changed; the earlier values stay
    in the details' history."""
    if not can_edit_victim_details(actor, victim):
        raise PermissionDeniedError("You cannot change this person's contact details.")
    details = VictimConfidential.objects.select_for_update().filter(victim=victim).first()
    _conflict_check(details, version, "these details")
    details = details or VictimConfidential(victim=victim)
    changed = _changed(details, {name: values[name] for name in VICTIM_DETAIL_FIELDS if name in values})
    if changed:
        details._history_user = actor  # type: ignore[attr-defined]
        details.full_clean()
        details.save()
    return changed


@transaction.atomic
def child_details_update(*, actor: User, child: Child, version: str, school: str) -> list[str]:
    """Change a child's school, with the same conflict check as a victim's details."""
    if not can_edit_child_details(actor, child):
        raise PermissionDeniedError("You cannot change this child's details.")
    details = ChildConfidential.objects.select_for_update().filter(child=child).first()
    _conflict_check(details, version, "the school")
    details = details or ChildConfidential(child=child)
    changed = _changed(details, {"school": school})
    if changed:
        details._history_user = actor  # type: ignore[attr-defined]
        details.save()
    return changed
