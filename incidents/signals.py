"""What the incidents app tells other apps, which act on it without incidents knowing them."""

from django.dispatch import Signal

# A new incident is recorded (kwargs: incident), sent in the transaction that recorded it: a
# receiver's writes commit or roll back with the incident. Safety plans raise school notifications.
incident_recorded = Signal()
