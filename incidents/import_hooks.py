"""Optional columns of the incident extract that another app stores (justice outcomes, say), plugged
in by registration: the importer reads the hook's columns on each row with the rest (its errors are
the row's errors: all or nothing), and after the incidents are written, in the same transaction, the
hook stores what it read. The incidents app imports no app that registers here."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dacrre.accounts.models import Agency, User

    from .importer import IncidentRow, RowError


@dataclass(frozen=True)
class ImportHook:
    name: str  # the key of the row's `extra` and of the import report
    columns: tuple[str, ...]
    # (row number, the row's values by column, when the incident occurred, the row's error list) -> what to keep
    parse: "Callable[[int, dict[str, str], datetime.datetime | None, list[RowError]], Any]"
    # (the rows, with `extra[name]`; who imports; for which agency) -> a count for the report
    write: "Callable[[list[IncidentRow], User | None, Agency], int]"


_hooks: list[ImportHook] = []


def register_import_hook(hook: ImportHook) -> None:
    if all(h.name != hook.name for h in _hooks):
        _hooks.append(hook)


def import_hooks() -> list[ImportHook]:
    return list(_hooks)


def hook_columns() -> set[str]:
    return {column for hook in _hooks for column in hook.columns}
