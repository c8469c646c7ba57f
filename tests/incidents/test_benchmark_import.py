import pytest
from django.core.management import CommandError, call_command

from incidents.models import Incident


@pytest.mark.django_db
def test_the_import_benchmark_prints_rows_per_second_and_reimports_unchanged(capsys) -> None:
    call_command("benchmark_import", "--rows", "300", "--yes-write-to-this-database")
    out = capsys.readouterr().out
    assert "check (dry run): 300 rows in" in out and "rows per second" in out
    assert "import: 300 rows" in out and "300 new" in out
    assert "re-import of the same file: 300 rows" in out and "300 unchanged" in out
    assert Incident.objects.count() == 300


@pytest.mark.django_db
def test_the_import_benchmark_refuses_without_the_explicit_flag() -> None:
    with pytest.raises(CommandError):
        call_command("benchmark_import", "--rows", "10")
