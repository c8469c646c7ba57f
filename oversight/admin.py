"""Closure requests are case records: made and decided on the app's pages, never in the admin."""
