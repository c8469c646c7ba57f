"""Perpetrators are person records: read on the app's pages (logged), never in the admin."""
