import datetime

from django.db import transaction

from dacrre.accounts.models import User
from dacrre.core import dates

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
