"""A long import never delays a high-risk e-mail: compose's two workers on PostgreSQL and Redis, the
imports worker busy with an import that cannot finish, and a safeguarding concern saved meanwhile.
Its e-mail is sent at once by the other worker."""

import datetime
import time

import pytest
from django.db import connections as all_connections
from django.utils import timezone

from dacrre.accounts.models import Role, Scope
from incidents.jobs import import_job_create, import_job_start
from incidents.models import ImportStatus, IncidentImport
from incidents.services import IMPORT_LOCK_KEY
from reminders.models import Reminder, ReminderKind
from tests.factories import AreaFactory, CaseFactory, UserFactory
from tests.platform.processes import Processes, new_prefix, process_env, use_prefixed_broker, wait_for, worker_ready
from tests.platform.test_scale_out import _csv
from tests.xdist_groups import real_processes
from visits.models import VisitOutcome
from visits.services import visit_log


def _import_waits_for_the_lock(probe) -> bool:
    probe.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE query LIKE %s AND pid <> pg_backend_pid()",
        ["SELECT pg_try_advisory_xact_lock%"],
    )
    return probe.fetchone()[0] > 0


@real_processes
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_high_risk_email_is_sent_at_once_while_an_import_occupies_the_imports_worker(tmp_path, monkeypatch) -> None:
    area = AreaFactory(name="North")
    AreaFactory(agency=area.agency, name="South")
    analyst = UserFactory(area=area, role=Role.ANALYST, scope=Scope.AGENCY)
    officer = UserFactory(area=area)
    UserFactory(area=area, role=Role.SUPERVISOR, scope=Scope.AGENCY, email="supervisor@force.example")
    case = CaseFactory(area=area, spoc=officer)
    prefix = new_prefix()
    use_prefixed_broker(monkeypatch, prefix)
    env = process_env(prefix)
    processes = Processes(tmp_path)
    # Another import is being written: this one waits for it, on the imports worker, for as long as
    # the test holds the import lock.
    holder = all_connections.create_connection("default")
    probe = all_connections.create_connection("default")
    try:
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK_KEY])
        job = import_job_create(actor=analyst, agency=area.agency, filename="big.csv", content=_csv(2_100))
        import_job_start(actor=analyst, job=job, dry_run=False)  # large: sent to the imports queue

        urgent_log = processes.worker("worker", env)
        imports_log = processes.worker("worker-imports", env)
        assert wait_for(lambda: worker_ready(urgent_log) and worker_ready(imports_log), 60), processes.output()
        with probe.cursor() as cursor:
            assert wait_for(lambda: _import_waits_for_the_lock(cursor), 30), processes.output()
        job.refresh_from_db()
        assert job.status == ImportStatus.IMPORTING

        # A safeguarding concern while the import runs: the e-mail to the supervisors is queued on
        # `urgent` when the visit commits, and sent by the other worker.
        saved = time.monotonic()
        visit_log(
            actor=officer,
            case=case,
            victim=None,
            occurred_at=timezone.now() - datetime.timedelta(hours=1),
            outcome=VisitOutcome.SAFEGUARDING,
            safeguarding_details="Children at the address; bruising seen.",
        )
        concern = Reminder.objects.get(kind=ReminderKind.SAFEGUARDING_CONCERN, case=case)
        assert wait_for(
            lambda: Reminder.objects.filter(pk=concern.pk, notified_at__isnull=False).exists(), 20, step=0.1
        ), processes.output()
        seconds = time.monotonic() - saved
        assert seconds < 10, seconds
        log = urgent_log.read_text()
        assert "dacrre.reminders.tasks.send_high_risk_notifications[" in log
        assert f"Subject: High risk: {ReminderKind.SAFEGUARDING_CONCERN.label} ({case.reference})" in log
        assert "To: supervisor@force.example" in log
        # ... while the import was still held on the other worker.
        assert IncidentImport.objects.get(pk=job.pk).status == ImportStatus.IMPORTING
        assert "run_incident_import[" not in log and "run_incident_import[" in imports_log.read_text()

        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK_KEY])
        assert wait_for(lambda: IncidentImport.objects.get(pk=job.pk).status == ImportStatus.IMPORTED, 60), (
            processes.output()
        )
        assert processes.all_alive(), processes.output()
    finally:
        holder.close()
        probe.close()
        processes.stop()
