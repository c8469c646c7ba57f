"""Writes for victim and child records and their confidential details."""

from django.db import transaction

from dacrre.accounts.models import User
from people.models import Person

from .models import Child, ChildConfidential, Victim, VictimConfidential


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
