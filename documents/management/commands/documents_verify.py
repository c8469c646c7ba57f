"""Check the document store against the database, after a restore (docs/operations.md): every
document's file is there with its size, and (with --sha256) the bytes of every file, or of a sample,
still have the SHA-256 recorded when it was added. Exits non-zero, naming each document (by its
opaque id, never its title) whose file is missing or different."""

import hashlib
import random
from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from documents.models import Document


class Command(BaseCommand):
    help = "Check that every document's file is in the document store, with its size (and SHA-256)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sha256", type=int, default=0, metavar="N", help="also hash N files (0: none; -1: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = list(Document.objects.values_list("public_id", "storage_name", "size", "sha256"))
        problems = []
        for public_id, name, size, _ in rows:
            if not default_storage.exists(name):
                problems.append(f"document {public_id}: its file is missing")
            elif default_storage.size(name) != size:
                problems.append(f"document {public_id}: its file is {default_storage.size(name)} bytes, not {size}")
        wanted = options["sha256"]
        present = [row for row in rows if not any(str(row[0]) in problem for problem in problems)]
        sample = present if wanted < 0 else random.sample(present, min(wanted, len(present)))  # noqa: S311
        for public_id, name, _, digest in sample:
            with default_storage.open(name, "rb") as stored:
                if hashlib.sha256(stored.read()).hexdigest() != digest:
                    problems.append(f"document {public_id}: its file's SHA-256 differs from the one recorded")
        for problem in problems:
            self.stderr.write(f"FAILED  {problem}")
        if problems:
            raise CommandError(f"{len(problems)} of {len(rows)} documents have a problem")
        self.stdout.write(f"ok  {len(rows)} documents: every file present with its size; {len(sample)} hashed")
