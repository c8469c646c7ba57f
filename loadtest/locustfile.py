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
from collections.abc import Callable
from pathlib import Path
from typing import Any

from locust import HttpUser, TaskSet, between, events

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


# Each page or endpoint once; each part of the mix below is a table of weights (docs/load-benchmark.md).


def my_caseload(user: _Worker) -> None:
    user.open("/", "My caseload")


def case_page(user: _Worker) -> None:
    user.open(f"/cases/{user.a_case()}/", "Case page")


def my_tasks(user: _Worker) -> None:
    user.open("/tasks/", "My tasks")


def police_referrals(user: _Worker) -> None:
    user.open("/referrals/", "Referrals (police)")


def log_visit(user: _Worker) -> None:
    case = user.a_case()
    form = user.open(f"/cases/{case}/visits/new/", "Log a visit: form")
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
    with user.client.post(
        f"/cases/{case}/visits/new/", data=data, name="Log a visit: save", allow_redirects=False, catch_response=True
    ) as response:
        if response.status_code != 302 or "/accounts/" in response.headers.get("Location", ""):
            response.failure(f"answered {response.status_code}, expected a redirect to the case")


def team_caseload(user: _Worker) -> None:
    user.open("/team/", "Team caseload")


def all_cases(user: _Worker) -> None:
    user.open("/cases/", "All cases")


def partner_inbox(user: _Worker) -> None:
    user.open("/referrals/", "Referral inbox (partner)")


def referral(user: _Worker) -> None:
    if user.identity["referrals"]:
        chosen = random.choice(user.identity["referrals"])  # noqa: S311 - not for security
        user.open(f"/referrals/{chosen}/", "Referral")


def api_cases(user: _Worker) -> None:
    user.open("/api/v1/cases/", "API: cases")


def api_case(user: _Worker) -> None:
    user.open(f"/api/v1/cases/{user.a_case()}/", "API: case")


def api_visits(user: _Worker) -> None:
    user.open("/api/v1/visits/", "API: visits")


def api_tasks(user: _Worker) -> None:
    user.open("/api/v1/tasks/", "API: tasks")


def api_referrals(user: _Worker) -> None:
    user.open("/api/v1/referrals/", "API: referrals")


def _weighted(weights: dict[Callable[[_Worker], None], int]) -> list[TaskSet | Callable[..., Any]]:
    """Locust's task list: each task as many times as its weight (what locust makes of a dict)."""
    return [task for task, weight in weights.items() for _ in range(weight)]


class Officer(_Worker):
    part = "officer"
    fixed_count = PLAN["mix"]["officer"]
    tasks = _weighted({my_caseload: 3, case_page: 4, my_tasks: 2, police_referrals: 1, log_visit: 1})


class Supervisor(_Worker):
    part = "supervisor"
    fixed_count = PLAN["mix"]["supervisor"]
    tasks = _weighted({team_caseload: 3, case_page: 2, my_tasks: 2, all_cases: 1})


class Idva(_Worker):
    part = "idva"
    fixed_count = PLAN["mix"]["idva"]
    tasks = _weighted({my_caseload: 2, case_page: 3, my_tasks: 2})


class PartnerCaseworker(_Worker):
    part = "partner"
    fixed_count = PLAN["mix"]["partner"]
    tasks = _weighted({partner_inbox: 3, referral: 2, case_page: 2, my_tasks: 1})


class PartnerApiClient(_Worker):
    part = "api"
    fixed_count = PLAN["mix"]["api"]
    tasks = _weighted({api_cases: 2, api_case: 2, api_visits: 1, api_tasks: 1, api_referrals: 1})
