"""Production settings for the benchmarks that measure the service as it runs: DEBUG off, compressed
static files from collectstatic, the second factor required, against the same database."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connection


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a process with production settings on this process's database."""
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dacrre.settings",
        "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "DEBUG": "0",
        # Sessions made by this process are signed with its key: the measured process must use the same.
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "WARNING",
        **extra,
    }
    env.pop("DACRRE_DEMO_SKIP_MFA", None)  # signed in with the second factor, as in service
    return env


def collect_static(env: dict[str, str], stdout: Any) -> None:
    """The production static files (hashed names, compressed); built again only when a source changed."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [path for folder in settings.STATICFILES_DIRS for path in Path(folder).rglob("*") if path.is_file()]
    if manifest.exists() and all(path.stat().st_mtime < manifest.stat().st_mtime for path in sources):
        return
    stdout.write("collecting static files (production build) ...")
    subprocess.run(  # noqa: S603 - fixed command
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )
