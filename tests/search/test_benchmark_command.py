import pytest
from django.core.management import CommandError, call_command

from dacrre.accounts.models import Role, Scope
from tests.factories import AreaFactory, CaseFactory, UserFactory


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_benchmark_times_each_kind_of_search_and_prints_the_verdict(capsys) -> None:
    north = AreaFactory(name="North")
    officer = UserFactory(area=north)
    UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY)
    CaseFactory(area=north, spoc=officer)
    call_command("benchmark_search", "--runs", "1", "--yes-write-to-this-database")
    out = capsys.readouterr().out
    assert "dataset:" in out and "force supervisor (whole force)" in out and "officer (own caseload)" in out
    assert "nickname, misspelt family" in out and "1 results" in out
    assert "slowest results page (median):" in out and "target 200 ms" in out


@pytest.mark.django_db
def test_the_benchmark_refuses_without_the_explicit_flag() -> None:
    with pytest.raises(CommandError):
        call_command("benchmark_search", "--runs", "1")
