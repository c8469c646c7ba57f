"""Several web processes and workers at once, as `docker compose up --scale web=3 --scale worker=3`
runs them: nothing a user does depends on which process answers.

Three gunicorn processes and the two kinds of Celery worker (compose's commands) on the test's
PostgreSQL database and Redis, behind a round-robin proxy, so that each request of one analyst lands
on a different process from the one before: signing in (the form from one process, the password to a
second, the second factor to a third), uploading an import (the form's token from another process),
and following the import that a worker runs, page after page from different processes."""

import re

import pytest
import requests

from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessAction, AccessLog
from incidents.models import ImportStatus, Incident, IncidentImport
from tests.factories import TEST_PASSWORD, AreaFactory, UserFactory, current_totp
from tests.platform.processes import (
    Processes,
    RoundRobinProxy,
    compose_default,
    free_port,
    new_prefix,
    process_env,
    wait_for,
    web_healthy,
    worker_ready,
)
from tests.xdist_groups import real_processes

ROWS = 2_100  # more than incidents.jobs.INLINE_ROWS: checked and imported by the worker
CLIENT = "198.51.100.23"  # the address the proxy saw the client at
FORGED = "203.0.113.7"  # what the client itself claims in X-Forwarded-For
HOST = "dacrre.example.org"  # the service's name: the only one in ALLOWED_HOSTS


def _csv(rows: int) -> str:
    lines = [
        "source_reference,occurred_at,area,offence_category,is_crime,injury,weapon_used,perpetrator_police_id,"
        "perpetrator_given_name,perpetrator_family_name,perpetrator_date_of_birth,victim_police_id,"
        "victim_given_name,victim_family_name,victim_date_of_birth,summary"
    ]
    for n in range(rows):
        p = n % 40
        lines.append(
            f"SC/26/{n:06d},2026-0{1 + n % 9}-1{n % 10} 2{n % 4}:00,{'North' if n % 2 else 'South'},abh,yes,no,no,"
            f"SC{p:05d},Carl{p},Example,1980-01-{1 + p % 28:02d},SV{p:05d},Dana{p},Sample,1985-02-{1 + p % 28:02d},"
            "Argument at home."
        )
    return "\n".join(lines) + "\n"


class Browser:
    """A person's browser: cookies, the Origin header on a form's POST, and an X-Forwarded-For of its
    own that no process may believe. The cookies are Secure (compose's settings) and this proxy
    speaks http: they are sent back all the same, as a browser does for a local address."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        self.session.headers.update({"Host": HOST, "X-Forwarded-For": FORGED})

    def _keep_cookies(self, response: requests.Response) -> requests.Response:
        for cookie in self.session.cookies:
            cookie.secure = False
        return response

    def get(self, path: str) -> requests.Response:
        return self._keep_cookies(self.session.get(self.base + path, allow_redirects=False, timeout=30))

    def form_token(self, path: str) -> str:
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def post(self, path: str, data: dict, *, token: str, files: dict | None = None) -> requests.Response:
        # The page came over https (the proxy says so): Django checks the form's Origin.
        response = self.session.post(
            self.base + path,
            data={"csrfmiddlewaretoken": token, **data},
            files=files,
            headers={"Origin": f"https://{HOST}"},
            allow_redirects=False,
            timeout=60,
        )
        return self._keep_cookies(response)

    def follow_import(self, job_path: str) -> None:
        """Poll the progress as the page does, until the job is no longer in progress."""

        def done() -> bool:
            response = self.get(job_path + "progress/")
            assert response.status_code == 200, response.status_code
            return response.headers.get("HX-Refresh") == "true"

        assert wait_for(done, 60, step=0.5), "the import never finished"


@real_processes
@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_one_analyst_works_across_three_web_processes_and_the_workers_run_the_import(tmp_path) -> None:
    north = AreaFactory(name="North")
    AreaFactory(agency=north.agency, name="South")
    analyst = UserFactory(area=north, role=Role.ANALYST, scope=Scope.AGENCY)
    # As compose runs the application behind its proxy.
    behind_the_proxy = (
        "TRUSTED_PROXY_COUNT",
        "SECURE_PROXY_SSL_HEADER_ENABLED",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
    )
    env = process_env(new_prefix(), ALLOWED_HOSTS=HOST, **{name: compose_default(name) for name in behind_the_proxy})
    assert env["TRUSTED_PROXY_COUNT"] == "1" and env["SECURE_PROXY_SSL_HEADER_ENABLED"] == "true"
    processes = Processes(tmp_path)
    ports = [free_port() for _ in range(3)]
    try:
        for port in ports:
            processes.gunicorn(port, env)
        workers = [processes.worker("worker", env), processes.worker("worker-imports", env)]
        # Compose's health check passes on each web process (asked under the service's host name).
        started = wait_for(
            lambda: all(web_healthy(port, env) for port in ports) and all(map(worker_ready, workers)), 60
        )
        assert started and processes.all_alive(), processes.output()

        with RoundRobinProxy(ports, client_address=CLIENT) as proxy:
            browser = Browser(proxy.port)
            # Signing in: each step's form from one process, its answer to the next.
            token = browser.form_token("/accounts/login/")
            response = browser.post(
                "/accounts/login/", {"username": analyst.username, "password": TEST_PASSWORD}, token=token
            )
            assert response.status_code == 302, response.text
            token = browser.form_token("/accounts/second-factor/")
            response = browser.post("/accounts/second-factor/", {"token": current_totp(analyst)}, token=token)
            assert response.status_code == 302, response.text
            home = browser.get("/")
            assert home.status_code == 302 and home.headers["Location"] == "/incidents/import/"
            # The proxy said https: Django believed it (HSTS is only sent on a secure request).
            assert "Strict-Transport-Security" in home.headers

            # An upload, with the form's token from another process; the worker checks the file.
            token = browser.form_token("/incidents/import/")
            upload = {"file": ("extract.csv", _csv(ROWS).encode(), "text/csv")}
            response = browser.post("/incidents/import/", {}, token=token, files=upload)
            assert response.status_code == 302, response.text
            job_path = response.headers["Location"]
            browser.follow_import(job_path)
            page = browser.get(job_path)
            assert f"{ROWS} new incidents" in page.text and "Import these incidents" in page.text

            # Confirmed on one process, imported by the worker, seen from the others.
            token = browser.form_token(job_path)
            assert browser.post(job_path + "confirm/", {}, token=token).status_code == 302
            browser.follow_import(job_path)
            page = browser.get(job_path)
            assert page.status_code == 200 and "Imported" in page.text
            served = list(proxy.served)

        job = IncidentImport.objects.get()
        assert job.status == ImportStatus.IMPORTED and Incident.objects.count() == ROWS
        # Every process answered, and no request went to the process that answered the one before
        # (in particular no form's POST to the process that rendered the form).
        assert {port for _, _, port in served} == set(ports)
        assert all(a[2] != b[2] for a, b in zip(served, served[1:], strict=False))
        assert sum(1 for method, _, _ in served if method == "POST") == 4
        # The import ran on the imports worker, both its check and the import; never on the other.
        imports_log, other_log = (tmp_path / "worker-imports.log").read_text(), (tmp_path / "worker.log").read_text()
        assert imports_log.count("incidents.tasks.run_incident_import[") >= 2 and "succeeded" in imports_log
        assert "run_incident_import[" not in other_log
        # The access log has the address the proxy saw, never the one the client made up.
        sign_ins = AccessLog.objects.filter(user=analyst, action=AccessAction.LOGIN)
        assert sign_ins.count() == 2 and set(sign_ins.values_list("ip_address", flat=True)) == {CLIENT}
        assert not AccessLog.objects.filter(ip_address=FORGED).exists()
        assert processes.all_alive(), processes.output()
    finally:
        processes.stop()
