"""Victims, children and their confidential details (address, phone, safe contact, refuge, workplace,
school) are never in the admin: they are read and changed only on the app's pages, which apply the
rules of docs/permissions.md and write the access log."""
