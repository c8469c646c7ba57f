import datetime

import pytest

from people.matching import (
    Identity,
    MatchKind,
    PersonIndex,
    compare,
    dates_close,
    edit_distance_at_most_one,
    normalise_name,
)

BORN = datetime.date(1985, 3, 14)


def test_names_compare_without_case_accents_spaces_or_punctuation() -> None:
    assert normalise_name("  O'Brien-Smyth ") == normalise_name("obriensmyth")
    assert normalise_name("Zoë") == "zoe"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("smith", "smith", True),
        ("smith", "smyth", True),  # substitution
        ("smith", "smiht", True),  # neighbours swapped
        ("smith", "smit", True),  # deletion
        ("smith", "smithe", True),  # insertion
        ("smith", "smythe", False),  # two edits
        ("jones", "james", False),
    ],
)
def test_one_edit(a: str, b: str, expected: bool) -> None:
    assert edit_distance_at_most_one(a, b) is expected


def test_dates_close_allow_swapped_day_and_month_and_one_slip() -> None:
    assert dates_close(BORN, datetime.date(1985, 3, 14))
    assert dates_close(datetime.date(1985, 3, 4), datetime.date(1985, 4, 3))  # day and month swapped
    assert dates_close(BORN, datetime.date(1985, 3, 15))  # one digit
    assert dates_close(BORN, datetime.date(1958, 3, 14))  # two digits swapped
    assert not dates_close(BORN, datetime.date(1990, 7, 2))


@pytest.mark.parametrize(
    ("row", "known", "kind"),
    [
        # Police identifier decides, whatever the spelling.
        (Identity("Jon", "Smyth", None, "PNC1"), Identity("John", "Smith", BORN, "PNC1"), MatchKind.SAME),
        # Identical once normalised, same date of birth: the same person.
        (Identity("JOHN ", "smith", BORN), Identity("John", "Smith", BORN), MatchKind.SAME),
        # Close but not certain: review.
        (Identity("Jon", "Smith", BORN), Identity("John", "Smith", BORN), MatchKind.LIKELY),
        (Identity("Bob", "Smith", BORN), Identity("Robert", "Smith", BORN), MatchKind.LIKELY),
        (Identity("John", "Smyth", BORN), Identity("John", "Smith", BORN), MatchKind.LIKELY),
        (Identity("John", "Smith", datetime.date(1985, 3, 15)), Identity("John", "Smith", BORN), MatchKind.LIKELY),
        (Identity("John", "Smith", None), Identity("John", "Smith", BORN), MatchKind.LIKELY),
        # Same names and date but different police identifiers: never automatic.
        (Identity("John", "Smith", BORN, "PNC2"), Identity("John", "Smith", BORN, "PNC1"), MatchKind.LIKELY),
        # Different people.
        (Identity("Jane", "Smith", BORN), Identity("John", "Smith", BORN), MatchKind.DIFFERENT),
        (Identity("John", "Smith", datetime.date(1992, 8, 1)), Identity("John", "Smith", BORN), MatchKind.DIFFERENT),
        (Identity("Jon", "Smith", None), Identity("John", "Smith", BORN), MatchKind.DIFFERENT),
    ],
)
def test_compare(row: Identity, known: Identity, kind: MatchKind) -> None:
    assert compare(row, known).kind is kind


def test_the_index_links_certain_matches_and_lists_likely_ones() -> None:
    index = PersonIndex()
    index.add(1, Identity("John", "Smith", BORN, "PNC1"))
    index.add(2, Identity("Mary", "Jones", datetime.date(1990, 1, 2)))
    assert index.match(Identity("X", "Y", None, "PNC1")).person_id == 1
    assert index.match(Identity("john", "SMITH", BORN)).person_id == 1
    likely = index.match(Identity("Mary", "Jonnes", datetime.date(1990, 2, 1)))
    assert likely.person_id is None and [pid for pid, _ in likely.likely] == [2]
    assert index.match(Identity("Peter", "Brown", BORN)).likely == []


def test_two_stored_people_matching_exactly_is_not_resolved_silently() -> None:
    index = PersonIndex()
    index.add(1, Identity("John", "Smith", BORN))
    index.add(2, Identity("John", "Smith", BORN))
    result = index.match(Identity("John", "Smith", BORN))
    assert result.person_id is None and {pid for pid, _ in result.likely} == {1, 2}
