"""Incidents name perpetrators, victims and children: they come in through the import and are read on
the app's pages, never in the admin (docs/permissions.md)."""
