"""A person known to the system. Perpetrator, victim and child are roles a person can hold,
so one real person can be a victim in one case and a perpetrator in another."""

from django.db import models
from simple_history.models import HistoricalRecords

from dacrre.core.models import PublicIdModel, TimeStampedModel


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"
    NOT_KNOWN = "not_known", "Not known"


class Person(PublicIdModel, TimeStampedModel):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=16, choices=Gender.choices, default=Gender.NOT_KNOWN)
    # The police records system's person identifier (e.g. a PNC or local nominal number).
    police_identifier = models.CharField(max_length=40, null=True, blank=True, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["family_name", "given_name", "date_of_birth"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()
