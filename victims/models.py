"""Victims (survivors) and children at risk.

Victim-confidential details live in their own tables so that no page, export or serializer can show
them by accident: reading them needs an explicit, access-checked query.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel, TimeStampedModel
from people.models import Person


class Victim(PublicIdModel, TimeStampedModel):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="victim")

    history = HistoricalRecords()

    class Meta:
        ordering = ["person__family_name", "person__given_name"]

    def __str__(self) -> str:
        return str(self.person)

    def access_subject(self) -> AccessSubject:
        return AccessSubject(
            object_type="victim",
            object_id=self.public_id,
            label=f"Victim {self.person.full_name}",
            person=self.person,
        )


class VictimConfidential(TimeStampedModel):
    """Contact and location details that could lead a perpetrator to the victim."""

    victim = models.OneToOneField(Victim, on_delete=models.CASCADE, related_name="confidential")
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    safe_contact_arrangements = models.TextField(blank=True, help_text="Safe number, safe times, code word.")
    in_refuge = models.BooleanField(default=False)
    refuge_details = models.TextField(blank=True)
    workplace = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "victim confidential details"
        verbose_name_plural = "victim confidential details"

    def __str__(self) -> str:
        return f"Confidential details of {self.victim}"


class Child(PublicIdModel, TimeStampedModel):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="child")

    history = HistoricalRecords()

    class Meta:
        ordering = ["person__family_name", "person__given_name"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return str(self.person)

    def access_subject(self) -> AccessSubject:
        return AccessSubject(
            object_type="child",
            object_id=self.public_id,
            label=f"Child {self.person.full_name}",
            person=self.person,
        )


class ChildConfidential(TimeStampedModel):
    """A child's school tells a perpetrator where the child (and often the victim) will be."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="confidential")
    school = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "child confidential details"
        verbose_name_plural = "child confidential details"

    def __str__(self) -> str:
        return f"Confidential details of {self.child}"
