"""The page-cost benchmark (docs/page-cost.md): it measures each key page as a typical user of it, against
hand-written SQL for the same rows, and prints the figures and the verdict."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from loadtest.generate import dataset_generate
from tests.loadtest.test_loadtest import TINY


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_benchmark_measures_each_page_against_its_floor(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    dataset_generate(TINY)
    figures = tmp_path / "pages.json"
    call_command(
        "benchmark_pages", "--runs", "2", "--warmup", "1", "--json", str(figures), "--yes-write-to-this-database"
    )
    out = capsys.readouterr().out
    for page in ("My caseload", "Case page", "Partner inbox", "My tasks", "API case list"):
        assert f"| {page} |" in out
    assert "planning (EXPLAIN)" in out and "not page data" in out and "target 3x and 15 ms" in out
    results = json.loads(figures.read_text())["results"]
    assert [r["page"] for r in results] == ["My caseload", "Case page", "Partner inbox", "My tasks", "API case list"]
    for result in results:
        assert result["page_ms"] > 0 and result["floor_ms"] > 0 and result["queries"] > 0
        assert result["planning_ms"] > 0
        # Who is asking and the access log are not the page's data; each is found and named.
        if result["page"] != "API case list":
            assert "user, agency, second factor" in result["overhead"]
            assert len(result["overhead"]) <= 3  # the session is read from the cache
    caseload = results[0]
    assert caseload["floor_rows"] == caseload["rows"]  # the floor returns the rows the page lists


@pytest.mark.django_db
def test_the_benchmark_refuses_without_the_explicit_flag() -> None:
    with pytest.raises(CommandError):
        call_command("benchmark_pages", "--runs", "1")
