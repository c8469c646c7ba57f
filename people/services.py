import datetime

from django.db import transaction

from dacrre.accounts.models import User
from dacrre.core import dates
from perpetrators.models import Perpetrator
from victims.models import Child, ChildConfidential, Victim, VictimConfidential

from .models import Gender, Person


@transaction.atomic
def person_create(
    *,
    actor: User | None,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date | None = None,
    gender: Gender | str = Gender.NOT_KNOWN,
    police_identifier: str | None = None,
) -> Person:
    dates.DATE_OF_BIRTH.check(date_of_birth, field="date_of_birth")
    person = Person(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        gender=gender,
        police_identifier=police_identifier or None,
    )
    person._history_user = actor  # type: ignore[attr-defined]
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def perpetrator_register(*, actor: User | None, person: Person, warning_markers: str = "") -> Perpetrator:
    """Give a person the perpetrator role (idempotent: a person has at most one perpetrator record)."""
    perpetrator, _ = Perpetrator.objects.get_or_create(person=person, defaults={"warning_markers": warning_markers})
    return perpetrator


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
