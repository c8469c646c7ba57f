"""What the benchmark and dataset commands share: they write large datasets, so they refuse to run
without an explicit confirmation, and those written in PostgreSQL's SQL refuse other databases."""

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import connection

WRITE_CONFIRMATION = "--yes-write-to-this-database"


def add_write_confirmation(parser: CommandParser) -> None:
    parser.add_argument(WRITE_CONFIRMATION, action="store_true", help="Required: the data is written to DATABASE_URL.")


def refuse_unless_confirmed(options: dict[str, Any], *, needs_postgresql: bool = True) -> None:
    if needs_postgresql and connection.vendor != "postgresql":
        raise CommandError("This command writes its data with PostgreSQL's SQL: set DATABASE_URL to PostgreSQL.")
    if not options["yes_write_to_this_database"]:
        raise CommandError(f"This writes a large dataset. Use a throwaway database and pass {WRITE_CONFIRMATION}.")
