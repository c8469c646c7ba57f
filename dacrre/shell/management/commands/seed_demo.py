from django.core.management.base import BaseCommand

from dacrre.accounts.models import Agency, AgencyKind
from dacrre.shell.demo import DEMO_PASSWORD, demo_logins, demo_seed
from reminders.sweeps import reminders_sweep
from scoring.services import scores_refresh


class Command(BaseCommand):
    help = "Load fictional demo data (idempotent) and print the demo logins."

    def handle(self, *args: object, **options: object) -> None:
        created = demo_seed()
        self.stdout.write("Demo data created." if created else "Demo data already present; nothing changed.")
        # Raise what is due now rather than at the beat's next quarter hour (idempotent).
        raised = sum(reminders_sweep().values())
        self.stdout.write(f"Reminders raised: {raised}.")
        # Likewise the stored repeat-perpetrator scores, which the beat otherwise computes at night.
        scored = sum(scores_refresh(agency=agency) for agency in Agency.objects.filter(kind=AgencyKind.POLICE))
        self.stdout.write(f"Scores stored: {scored}.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<18} {login.role:<20} {login.agency:<38} {login.note}")
