"""Mixed traffic for the load benchmark: officers, supervisors, IDVAs, partner caseworkers and partner
API clients doing their daily work, each waiting LOADTEST_THINK (MIN-MAX seconds) between requests. Started by
`manage.py loadtest_run`, which supplies the plan (LOADTEST_PLAN) and collects each request's query
count (LOADTEST_QUERIES). Any answer but the expected one is an error: a redirect to the sign-in page
would otherwise look like success."""

import datetime
import itertools
import json
import os
import random
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

PLAN: dict[str, Any] = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text())
QUERIES: dict[str, list[int]] = defaultdict(list)
_NEXT_IDENTITY = {part: itertools.count() for part in PLAN["parts"]}
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_THINK_MIN, _THINK_MAX = (float(part) for part in os.environ.get("LOADTEST_THINK", "5-15").split("-"))


@events.request.add_listener
def _record_query_count(name: str, response: Any, exception: Exception | None, **_: Any) -> None:
    if response is not None and "X-Query-Count" in response.headers:
        QUERIES[name].append(int(response.headers["X-Query-Count"]))


@events.quitting.add_listener
def _save_query_counts(**_: Any) -> None:
    Path(os.environ["LOADTEST_QUERIES"]).write_text(json.dumps(QUERIES))


class _Worker(HttpUser):
    abstract = True
    part = ""
    wait_time = between(_THINK_MIN, _THINK_MAX)

    def on_start(self) -> None:
        identities = PLAN["parts"][self.part]
        self.identity = identities[next(_NEXT_IDENTITY[self.part]) % len(identities)]
        if "session" in self.identity:
            self.client.cookies.set(PLAN["session_cookie"], self.identity["session"])
        else:
            self.client.headers["Authorization"] = f"Token {self.identity['token']}"

    def open(self, path: str, name: str, expect: int = 200) -> Any:
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != expect:
                response.failure(f"answered {response.status_code}, expected {expect}")
            return response

    def a_case(self) -> str:
        return str(random.choice(self.identity["cases"]))  # noqa: S311 - not for security


class Officer(_Worker):
    part = "officer"
    fixed_count = PLAN["mix"]["officer"]

    @task(3)
    def caseload(self) -> None:
        self.open("/", "My caseload")

    @task(4)
    def case_page(self) -> None:
        self.open(f"/cases/{self.a_case()}/", "Case page")

    @task(2)
    def my_tasks(self) -> None:
        self.open("/tasks/", "My tasks")

    @task(1)
    def referrals(self) -> None:
        self.open("/referrals/", "Referrals (police)")

    @task(1)
    def log_visit(self) -> None:
        case = self.a_case()
        form = self.open(f"/cases/{case}/visits/new/", "Log a visit: form")
        token = _CSRF_FIELD.search(form.text or "")
        if token is None:
            return
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "subject": "perpetrator",
            "occurred_on": datetime.date.today().strftime("%d/%m/%Y"),
            "outcome": "seen",
            "notes": "Seen at home; compliant.",
        }
        with self.client.post(
            f"/cases/{case}/visits/new/",
            data=data,
            name="Log a visit: save",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
                response.failure(f"answered {response.status_code}, expected a redirect to the case")


class Supervisor(_Worker):
    part = "supervisor"
    fixed_count = PLAN["mix"]["supervisor"]

    @task(3)
    def team(self) -> None:
        self.open("/team/", "Team caseload")

    @task(2)
    def case_page(self) -> None:
        self.open(f"/cases/{self.a_case()}/", "Case page")

    @task(2)
    def my_tasks(self) -> None:
        self.open("/tasks/", "My tasks")

    @task(1)
    def cases(self) -> None:
        self.open("/cases/", "All cases")


class Idva(_Worker):
    part = "idva"
    fixed_count = PLAN["mix"]["idva"]

    @task(2)
    def caseload(self) -> None:
        self.open("/", "My caseload")

    @task(3)
    def case_page(self) -> None:
        self.open(f"/cases/{self.a_case()}/", "Case page")

    @task(2)
    def my_tasks(self) -> None:
        self.open("/tasks/", "My tasks")


class PartnerCaseworker(_Worker):
    part = "partner"
    fixed_count = PLAN["mix"]["partner"]

    @task(3)
    def inbox(self) -> None:
        self.open("/referrals/", "Referral inbox (partner)")

    @task(2)
    def referral(self) -> None:
        if self.identity["referrals"]:
            referral = random.choice(self.identity["referrals"])  # noqa: S311 - not for security
            self.open(f"/referrals/{referral}/", "Referral")

    @task(2)
    def case_page(self) -> None:
        self.open(f"/cases/{self.a_case()}/", "Case page")

    @task(1)
    def my_tasks(self) -> None:
        self.open("/tasks/", "My tasks")


class PartnerApiClient(_Worker):
    part = "api"
    fixed_count = PLAN["mix"]["api"]

    @task(2)
    def cases(self) -> None:
        self.open("/api/v1/cases/", "API: cases")

    @task(2)
    def case(self) -> None:
        self.open(f"/api/v1/cases/{self.a_case()}/", "API: case")

    @task(1)
    def visits(self) -> None:
        self.open("/api/v1/visits/", "API: visits")

    @task(1)
    def my_tasks(self) -> None:
        self.open("/api/v1/tasks/", "API: tasks")

    @task(1)
    def referrals(self) -> None:
        self.open("/api/v1/referrals/", "API: referrals")
