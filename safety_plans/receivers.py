"""What safety plans do when other apps tell them something happened."""

from typing import Any

from django.dispatch import receiver

from incidents.models import Incident
from incidents.signals import incident_recorded

from .services import school_notifications_raise


@receiver(incident_recorded)
def on_incident_recorded(sender: Any, incident: Incident, **kwargs: Any) -> None:
    """A child present at an incident of the perpetrator of an open case: their school is to be told."""
    school_notifications_raise(incident=incident)
