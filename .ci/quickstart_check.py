"""Runs `make run` on the embedded defaults (fresh SQLite, filesystem broker) and checks what a
newcomer would: web, worker and beat start; a demo login works; the main pages answer 200."""

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = os.environ.get("PORT", "8000")  # `make run` serves on PORT
BASE = f"http://127.0.0.1:{PORT}"


def wait_for(predicate, what: str, seconds: int = 180) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(1)
    raise SystemExit(f"quick start: timed out waiting for {what}")


def main() -> None:
    shutil.rmtree(ROOT / "var", ignore_errors=True)
    log_path = ROOT / "var-quickstart.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(["make", "run"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            check(log_path)
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    print(log_path.read_text()[-3000:])
    log_path.unlink()


def check(log_path: Path) -> None:
    def up() -> bool:
        try:
            return urllib.request.urlopen(f"{BASE}/healthz", timeout=2).status == 200
        except OSError:
            return False

    wait_for(up, "the web server")
    log = lambda: log_path.read_text()  # noqa: E731
    wait_for(lambda: "ready." in log(), "the Celery worker")
    wait_for(lambda: "beat: Starting" in log(), "Celery beat")
    assert "Demo logins" in log(), "demo logins were not printed"

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{BASE}/accounts/login/")
    token = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode(
        {"username": "officer.north", "password": "demo-password-2026", "csrfmiddlewaretoken": token}
    ).encode()
    caseload = opener.open(urllib.request.Request(f"{BASE}/accounts/login/", data=data, headers={"Referer": BASE}))
    html = caseload.read().decode()
    assert caseload.status == 200 and "My caseload" in html, "login did not land on the caseload"
    case_url = re.search(r'href="(/cases/[0-9a-f-]{36}/)"', html)
    assert case_url, "the demo officer has no cases"
    case_html = opener.open(BASE + case_url.group(1)).read().decode()
    person_urls = re.findall(r'href="(/(?:perpetrators|victims)/[0-9a-f-]{36}/)"', case_html)
    for path in ["/cases/", case_url.group(1), *person_urls, "/static/dist/dacrre.css"]:
        status = opener.open(BASE + path).status
        assert status == 200, f"{path} answered {status}"
        print(f"quick start: {path} -> {status}")
    print("quick start: web, worker and beat running; demo login and pages OK")


if __name__ == "__main__":
    sys.exit(main())
