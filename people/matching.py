"""Deciding whether a person named in an incident is someone already known.

Three outcomes, never a silent merge:
- SAME: the police identifier matches, or the names (compared without case, accents, spaces or
  punctuation) and the date of birth are identical. The incident is linked to that person.
- LIKELY: close but not certain (a misspelt name, a nickname, a date of birth with two digits or
  day and month swapped, one side without a date of birth). A new person is created and the pair
  goes to the duplicate review queue for a person to decide.
- DIFFERENT: anything else.

`PersonIndex` holds every person in memory (a few bytes each) so that an import of 100,000 rows
compares against buckets by date of birth and by family name instead of querying per row.
"""

import datetime
import enum
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

# Common English short forms. Both directions are looked up.
NICKNAMES: dict[str, set[str]] = {
    "robert": {"rob", "bob", "bobby", "robbie"},
    "william": {"will", "bill", "billy", "liam"},
    "richard": {"rich", "rick", "dick", "richie"},
    "james": {"jim", "jimmy", "jamie"},
    "michael": {"mike", "mick", "mickey"},
    "thomas": {"tom", "tommy"},
    "anthony": {"tony", "ant"},
    "christopher": {"chris", "kit"},
    "daniel": {"dan", "danny"},
    "david": {"dave", "davy"},
    "edward": {"ed", "eddie", "ted", "ned"},
    "joseph": {"joe", "joey"},
    "jonathan": {"jon", "jonny"},
    "john": {"jack", "johnny"},
    "matthew": {"matt"},
    "nicholas": {"nick", "nicky"},
    "patrick": {"pat", "paddy"},
    "peter": {"pete"},
    "samuel": {"sam", "sammy"},
    "stephen": {"steve", "stevie"},
    "steven": {"steve", "stevie"},
    "alexander": {"alex", "sandy"},
    "andrew": {"andy", "drew"},
    "benjamin": {"ben", "benny"},
    "charles": {"charlie", "chas"},
    "elizabeth": {"liz", "lizzie", "beth", "betty", "eliza"},
    "margaret": {"maggie", "meg", "peggy"},
    "catherine": {"kate", "cathy", "katie"},
    "katherine": {"kate", "kathy", "katie"},
    "jennifer": {"jen", "jenny"},
    "rebecca": {"becky", "becca"},
    "victoria": {"vicky", "tori"},
    "susan": {"sue", "susie"},
    "deborah": {"debbie", "deb"},
    "samantha": {"sam", "sammy"},
    "jessica": {"jess", "jessie"},
    "natasha": {"tash", "tasha"},
}
_NICKNAME_PAIRS = {frozenset((full, short)) for full, shorts in NICKNAMES.items() for short in shorts}


class MatchKind(enum.Enum):
    SAME = "same"
    LIKELY = "likely"
    DIFFERENT = "different"


_NOT_ASCII_LETTER = re.compile(r"[^a-z]+")


@functools.lru_cache(maxsize=65536)
def normalise_name(value: str) -> str:
    """'  O'Brien-Smyth ' and 'obriensmyth' compare equal; accents are dropped ('Zoë' = 'zoe')."""
    if value.isascii():  # most names: the same result without decomposing, letter by letter
        return _NOT_ASCII_LETTER.sub("", value.lower())
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed.lower() if ch.isalpha() and ch.isascii())


def edit_distance_at_most_one(a: str, b: str) -> bool:
    """True when `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
        )
    shorter, longer = (a, b) if len(a) < len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def given_names_close(a: str, b: str) -> bool:
    if a == b:
        return True
    if frozenset((a, b)) in _NICKNAME_PAIRS:
        return True
    if min(len(a), len(b)) >= 3 and (a.startswith(b) or b.startswith(a)):
        return True  # Jon / Jonathan, Chris / Christopher
    return min(len(a), len(b)) >= 3 and edit_distance_at_most_one(a, b)


def family_names_close(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) >= 5 and edit_distance_at_most_one(a, b):
        return True
    # A double-barrelled name recorded with one part: "Smith-Jones" and "Jones".
    return min(len(a), len(b)) >= 4 and (a.endswith(b) or b.endswith(a) or a.startswith(b) or b.startswith(a))


def dates_close(a: datetime.date, b: datetime.date) -> bool:
    """The same date, day and month swapped, or one typing slip in YYYYMMDD."""
    if a == b or (a.year == b.year and a.day == b.month and a.month == b.day):
        return True
    return edit_distance_at_most_one(a.strftime("%Y%m%d"), b.strftime("%Y%m%d"))


@dataclass(frozen=True)
class Identity:
    """What an incident row or a stored person says about who they are."""

    given_name: str
    family_name: str
    date_of_birth: datetime.date | None
    police_identifier: str | None = None

    # Worked out once per identity: an import compares each row with many people.
    @functools.cached_property
    def given_key(self) -> str:
        return normalise_name(self.given_name)

    @functools.cached_property
    def family_key(self) -> str:
        return normalise_name(self.family_name)


@dataclass(frozen=True)
class Comparison:
    kind: MatchKind
    reason: str = ""


def compare(row: Identity, known: Identity) -> Comparison:
    """How `row` (from an incident) relates to `known` (a stored person)."""
    if row.police_identifier and known.police_identifier:
        if row.police_identifier == known.police_identifier:
            return Comparison(MatchKind.SAME, "same police identifier")
        # Two different identifiers: only a review can say whether one is a recording error.
        different_ids = True
    else:
        different_ids = False
    same_names = row.given_key == known.given_key and row.family_key == known.family_key
    if not different_ids and same_names and row.date_of_birth is not None and row.date_of_birth == known.date_of_birth:
        return Comparison(MatchKind.SAME, "same names and date of birth")
    names_close = given_names_close(row.given_key, known.given_key) and family_names_close(
        row.family_key, known.family_key
    )
    if not names_close:
        return Comparison(MatchKind.DIFFERENT)
    if row.date_of_birth is None or known.date_of_birth is None:
        if same_names:
            return Comparison(MatchKind.LIKELY, "same names, date of birth missing on one record")
        return Comparison(MatchKind.DIFFERENT)
    if not dates_close(row.date_of_birth, known.date_of_birth):
        return Comparison(MatchKind.DIFFERENT)
    parts = []
    if not same_names:
        parts.append("similar names")
    else:
        parts.append("same names")
    parts.append("same date of birth" if row.date_of_birth == known.date_of_birth else "similar date of birth")
    if different_ids:
        parts.append("different police identifiers")
    return Comparison(MatchKind.LIKELY, ", ".join(parts))


@dataclass
class _Entry:
    person_id: int
    identity: Identity


@dataclass
class MatchResult:
    person_id: int | None  # None: a new person is needed
    reason: str = ""
    likely: list[tuple[int, str]] = field(default_factory=list)  # (person id, why) for review


class PersonIndex:
    """Every known person, bucketed for matching. New people are added as they are created, so a
    person named on several rows of one file is created once."""

    def __init__(self) -> None:
        self._by_police_id: dict[str, int] = {}
        # Buckets keep each comparison local: the same or swapped date of birth (catches misspelt
        # names), the same family name and year of birth (catches a slip in day or month), and the
        # same names (for records without a date of birth).
        self._by_birth_date: dict[datetime.date, list[_Entry]] = defaultdict(list)
        self._by_family_year: dict[tuple[str, int], list[_Entry]] = defaultdict(list)
        self._by_names: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
        self._merged_into: dict[int, int] = {}

    @classmethod
    def from_database(cls) -> "PersonIndex":
        from .models import Person

        index = cls()
        rows = Person.objects.values_list(
            "id", "given_name", "family_name", "date_of_birth", "police_identifier", "merged_into_id"
        )
        for person_id, given, family, born, police_id, merged_into in rows.iterator(chunk_size=5000):
            if merged_into is not None:
                index._merged_into[person_id] = merged_into
                if police_id:
                    index._by_police_id[police_id] = person_id
                continue
            index.add(person_id, Identity(given, family, born, police_id))
        return index

    def add(self, person_id: int, identity: Identity) -> None:
        entry = _Entry(person_id, identity)
        if identity.police_identifier:
            self._by_police_id[identity.police_identifier] = person_id
        if identity.date_of_birth is not None:
            self._by_birth_date[identity.date_of_birth].append(entry)
            self._by_family_year[(identity.family_key, identity.date_of_birth.year)].append(entry)
        self._by_names[(identity.given_key, identity.family_key)].append(entry)

    def _current(self, person_id: int) -> int:
        """Follow merges to the record that is kept."""
        seen = set()
        while person_id in self._merged_into and person_id not in seen:
            seen.add(person_id)
            person_id = self._merged_into[person_id]
        return person_id

    def _candidates(self, row: Identity) -> list[_Entry]:
        found: dict[int, _Entry] = {}
        names = self._by_names.get((row.given_key, row.family_key), ())
        if row.date_of_birth is None:
            return list(names)
        for entry in names:
            if entry.identity.date_of_birth is None:
                found[entry.person_id] = entry
        born = row.date_of_birth
        dates = {born}
        if born.day <= 12 and born.day != born.month:
            dates.add(born.replace(month=born.day, day=born.month))
        for date in dates:
            for entry in self._by_birth_date.get(date, ()):
                found[entry.person_id] = entry
        for entry in self._by_family_year.get((row.family_key, born.year), ()):
            found[entry.person_id] = entry
        return list(found.values())

    def match(self, row: Identity) -> MatchResult:
        if row.police_identifier and row.police_identifier in self._by_police_id:
            return MatchResult(self._current(self._by_police_id[row.police_identifier]), "same police identifier")
        same: list[tuple[int, str]] = []
        likely: list[tuple[int, str]] = []
        for entry in self._candidates(row):
            result = compare(row, entry.identity)
            if result.kind is MatchKind.SAME:
                same.append((entry.person_id, result.reason))
            elif result.kind is MatchKind.LIKELY:
                likely.append((entry.person_id, result.reason))
        if len(same) == 1:
            return MatchResult(same[0][0], same[0][1])
        # Two stored people both fit exactly: they are themselves likely duplicates. Link to none,
        # create a new record and let a person decide.
        return MatchResult(None, likely=sorted(likely + same))
