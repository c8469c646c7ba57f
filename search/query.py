"""Reading what was typed in the header search: dates of birth (dd/mm/yyyy), a case reference, a
police identifier, and name words, as the import's matching reads names (people/matching.py)."""

import datetime
import re
import string
from dataclasses import dataclass, field

from people.matching import NICKNAMES
from people.models import NAME_KEY_DROPPED

_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_REFERENCE = re.compile(r"^[A-Za-z]{2,4}-\d{2}-\d{1,8}$")
_LETTERS = string.ascii_lowercase
MAX_WORDS = 4


@dataclass(frozen=True)
class Query:
    text: str
    dates: list[datetime.date] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)  # police identifiers (words with a digit)
    names: list[str] = field(default_factory=list)  # name keys

    @property
    def empty(self) -> bool:
        return not (self.dates or self.references or self.identifiers or self.names)


def name_key(word: str) -> str:
    """The Python side of people.models.name_key: lower case, without spaces and punctuation."""
    key = word.lower()
    for character in NAME_KEY_DROPPED:
        key = key.replace(character, "")
    return key


def _date(word: str) -> datetime.date | None:
    found = _DATE.match(word)
    if not found:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse(text: str) -> Query:
    """Each word is a date, a case reference, a police identifier or a part of a name."""
    query = Query(text=text.strip()[:200])
    for word in query.text.split()[: MAX_WORDS * 2]:
        born = _date(word)
        if born is not None:
            query.dates.append(born)
        elif _REFERENCE.match(word):
            query.references.append(word.upper())
        elif any(ch.isdigit() for ch in word):
            query.identifiers.append(word.upper())
        elif (key := name_key(word)) and len(query.names) < MAX_WORDS:
            query.names.append(key)
    return query


def dates_close_to(born: datetime.date) -> set[datetime.date]:
    """The date typed, and day and month swapped (the import's matching treats both as close)."""
    dates = {born}
    if born.day <= 12 and born.day != born.month:
        dates.add(born.replace(month=born.day, day=born.month))
    return dates


def one_slip_away(key: str) -> set[str]:
    """Every key one insertion, deletion, substitution or swap of neighbours from `key` (the import's
    `edit_distance_at_most_one`), so that a misspelt name is found through the index."""
    found = {key}
    for i in range(len(key) + 1):
        for letter in _LETTERS:
            found.add(key[:i] + letter + key[i:])
    for i in range(len(key)):
        found.add(key[:i] + key[i + 1 :])
        for letter in _LETTERS:
            found.add(key[:i] + letter + key[i + 1 :])
        if i + 1 < len(key):
            found.add(key[:i] + key[i + 1] + key[i] + key[i + 2 :])
    return {variant for variant in found if variant}


def family_keys(key: str) -> set[str]:
    """Family names the import would call close (people.matching.family_names_close): the same, or
    one slip away for names of five letters or more."""
    return one_slip_away(key) if len(key) >= 5 else {key}


def given_keys(key: str) -> set[str]:
    """Given names the import would call close (people.matching.given_names_close): nicknames both
    ways, a slip for names of three letters or more, and the shorter forms of the name (Jonathan
    for "jon" is found with a prefix match by the caller)."""
    keys = {key}
    keys |= NICKNAMES.get(key, set())
    keys |= {full for full, shorts in NICKNAMES.items() if key in shorts}
    if len(key) >= 3:
        keys |= {variant for variant in one_slip_away(key) if len(variant) >= 3}
        keys |= {key[:n] for n in range(3, len(key))}
    return keys
