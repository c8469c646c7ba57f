import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reminders.models import Reminder
from reminders.sweeps import reminders_sweep
from tests.factories import CaseFactory, CaseVictimFactory


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_benchmark_sweeps_generated_cases_and_prints_time_and_queries(capsys) -> None:
    call_command("benchmark_reminders", "--cases", "300", "--yes-write-to-this-database")
    out = capsys.readouterr().out
    assert "generated 300 open cases" in out
    assert "full sweep from empty (cold start):" in out and "queries" in out
    assert "(the 15-minute job): 0 raised" in out
    assert Reminder.objects.exists()


@pytest.mark.django_db
def test_the_benchmark_refuses_without_postgresql_or_the_explicit_flag() -> None:
    with pytest.raises(CommandError):
        call_command("benchmark_reminders", "--cases", "10")


@pytest.mark.django_db
def test_a_sweep_uses_the_same_number_of_queries_at_any_size() -> None:
    CaseVictimFactory(case=CaseFactory(next_perpetrator_visit_due=timezone.localdate()))
    with CaptureQueriesContext(connection) as few:
        assert sum(reminders_sweep().values()) == 1
    for _ in range(20):
        CaseVictimFactory(case=CaseFactory(next_perpetrator_visit_due=timezone.localdate()))
    with CaptureQueriesContext(connection) as many:
        assert sum(reminders_sweep().values()) == 20
    assert len(many) == len(few)
