"""The developer tooling: the pre-commit hooks run the project's own pinned tools, offline, and check
what CI's `make lint` checks."""

import re
from pathlib import Path

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[1]


def _lint_commands() -> set[str]:
    makefile = (PROJECT_DIR / "Makefile").read_text()
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe, "the Makefile has no lint target"
    return {_command(line.replace("$(BIN)/", ".venv/bin/")) for line in recipe.group(1).splitlines()}


def _command(line: str) -> str:
    """A check without the files it is given (pre-commit passes the files committed)."""
    return line.replace(" --force-exclude", "").removesuffix(" .").strip()


def test_the_pre_commit_hooks_are_local_and_check_what_make_lint_checks() -> None:
    config = yaml.safe_load((PROJECT_DIR / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {repo["repo"] for repo in config["repos"]} == {"local"}  # nothing fetched
    for hook in hooks:
        assert hook["language"] == "system", hook["id"]
        assert ".venv/bin/" in hook["entry"], hook["id"]  # the pinned tools, not whatever is on PATH
    entries = {_command(hook["entry"]) for hook in hooks}
    assert _lint_commands() <= entries
    requirements = (PROJECT_DIR / "requirements-dev.txt").read_text().split()
    assert any(re.fullmatch(r"pre-commit==[\d.]+", line) for line in requirements)
