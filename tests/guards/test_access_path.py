"""One way in: no page, download or API view (views.py, *_views.py, api.py) writes the access log
by hand, decides a case on its own or maps a service's refusal by hand. A record is reached through
its kind's fetcher (cases.http, victims.http, <app>/http.py...), which writes the log row; a list
through dacrre.audit.access.rows_listed; a service is called through
dacrre.core.service_calls.attempt (docs/architecture.md, "One way in")."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".venv", "node_modules", "tests", "static", "migrations"}

# What a view or API module must not contain, and what to do instead.
FORBIDDEN = {
    re.compile(r"\baccess_log_record(_people_shown)?\b"): (
        "writes the access log by hand: reach the record through its fetcher (record_access) "
        "or a list through rows_listed (dacrre/audit/access.py)"
    ),
    re.compile(r"^\s*def _case\(", re.MULTILINE): (
        "a private case helper: use cases.http.case_for(request, id, what=..., can=..., writing=...)"
    ),
    re.compile(r"\bexcept PermissionDeniedError\b"): (
        "maps a service's refusal by hand: call the service through dacrre.core.service_calls.attempt"
    ),
    re.compile(r"\b(VictimConfidential|ChildConfidential)\b"): (
        "reads confidential details directly: go through victims.selectors (victim_confidential_for...) "
        "or victims.http.victim_confidential_shown"
    ),
}


def _modules() -> list[Path]:
    found = []
    for path in ROOT.rglob("*.py"):
        parts = set(path.relative_to(ROOT).parts)
        if parts & SKIP or not (path.name in {"views.py", "api.py"} or path.name.endswith("_views.py")):
            continue
        found.append(path)
    return sorted(found)


def test_there_are_views_to_scan() -> None:
    names = {str(path.relative_to(ROOT)) for path in _modules()}
    assert {"cases/views.py", "cases/api.py", "visits/views.py", "dacrre/audit/views.py"} <= names


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_a_view_reaches_records_only_through_the_one_way_in(path: Path) -> None:
    source = path.read_text()
    problems = [
        f"line {source.count(chr(10), 0, match.start()) + 1}: {match.group(0).strip()!r} {why}"
        for pattern, why in FORBIDDEN.items()
        for match in pattern.finditer(source)
    ]
    assert not problems, f"{path.relative_to(ROOT)}:\n" + "\n".join(problems)
