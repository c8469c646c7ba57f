import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from dacrre.audit.models import AccessAction, AccessLog
from tests.factories import UserFactory


@pytest.mark.django_db
def test_issues_and_rotates_a_token_and_logs_it(capsys) -> None:
    account = UserFactory(username="api.housing")
    call_command("agency_api_token", "api.housing")
    first = capsys.readouterr().out.strip()
    call_command("agency_api_token", "api.housing")
    second = capsys.readouterr().out.strip()
    assert first != second
    assert Token.objects.get(user=account).key == second
    assert AccessLog.objects.filter(action=AccessAction.ACCOUNT_CHANGED).count() == 2


@pytest.mark.django_db
def test_refuses_an_account_without_an_agency() -> None:
    UserFactory(username="api.nobody", area=None, agency=None)
    with pytest.raises(CommandError, match="must belong to an agency"):
        call_command("agency_api_token", "api.nobody")
