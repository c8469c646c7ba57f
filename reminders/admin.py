"""Reminders name cases and who owes them: they are raised by the sweeps and closed by the work (or
dismissed in My tasks), never edited in the admin."""
