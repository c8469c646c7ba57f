import pytest
from django.core.management import CommandError, call_command

from perpetrators.models import Perpetrator


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_benchmark_generates_scores_and_prints_figures(capsys) -> None:
    call_command("benchmark_scoring", "--incidents", "2000", "--people", "300", "--yes-write-to-this-database")
    out = capsys.readouterr().out
    assert "generated 300 people and 2,000 incidents" in out
    assert "scoring every perpetrator: 100 scored" in out
    assert "storing the scores (all areas and each area):" in out
    assert "ranked list page (top 100):" in out and "status 200" in out
    assert Perpetrator.objects.count() == 100


@pytest.mark.django_db
def test_the_benchmark_refuses_without_the_explicit_flag() -> None:
    with pytest.raises(CommandError):
        call_command("benchmark_scoring", "--incidents", "10", "--people", "3")
