from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from rest_framework.authtoken.models import Token

from dacrre.accounts.models import User
from dacrre.audit.models import AccessAction
from dacrre.audit.services import access_log_record


class Command(BaseCommand):
    help = "Issue (or rotate) the API token of an agency's system account and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="The agency account, e.g. api.probation")

    @transaction.atomic
    def handle(self, *args: object, **options: str) -> None:
        try:
            account = User.objects.select_related("agency").get(username=options["username"], is_active=True)
        except User.DoesNotExist as exc:
            raise CommandError(f"No active user {options['username']!r}. Create the agency account first.") from exc
        if account.agency is None:
            raise CommandError("An API account must belong to an agency: its token sees what that agency sees.")
        Token.objects.filter(user=account).delete()
        token = Token.objects.create(user=account)
        access_log_record(
            user=None,
            username="manage.py",
            action=AccessAction.ACCOUNT_CHANGED,
            object_type="user",
            object_id=account.public_id,
            object_label=f"API token issued for {account.username} ({account.agency})",
        )
        self.stdout.write(token.key)
