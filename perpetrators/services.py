"""Writes for perpetrator records."""

from django.db import transaction

from dacrre.accounts.models import User
from people.models import Person

from .models import Perpetrator


@transaction.atomic
def perpetrator_register(*, actor: User | None, person: Person, warning_markers: str = "") -> Perpetrator:
    """Give a person the perpetrator role (idempotent: a person has at most one perpetrator record)."""
    perpetrator, _ = Perpetrator.objects.get_or_create(person=person, defaults={"warning_markers": warning_markers})
    return perpetrator
