from django.db import models
from simple_history.models import HistoricalRecords

from dacrre.audit.access import AccessSubject
from dacrre.core.models import PublicIdModel, TimeStampedModel
from people.models import Person


class Perpetrator(PublicIdModel, TimeStampedModel):
    """A person in the role of (alleged) perpetrator of domestic abuse."""

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="perpetrator")
    warning_markers = models.TextField(
        blank=True,
        help_text="Officer safety markers, e.g. violent, weapons, drugs. Visible to every agency with access.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["person__family_name", "person__given_name"]

    def __str__(self) -> str:
        return str(self.person)

    def access_subject(self) -> AccessSubject:
        return AccessSubject(
            object_type="perpetrator",
            object_id=self.public_id,
            label=f"Perpetrator {self.person.full_name}",
            person=self.person,
        )
