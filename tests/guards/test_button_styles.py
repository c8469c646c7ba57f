"""Buttons in their right style (GOV.UK): the red warning style only for actions that destroy or end
something and cannot be undone; each such button asks in words what it ends. Seen: "Record MARAC
referral", the next step a DASH prompts, in the warning style."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Label: what it ends, irreversibly.
DESTRUCTIVE = {
    "Cancel visit": "a planned visit, cancelled with a reason",
    "Withdraw referral": "a referral, withdrawn from the receiving agency",
    "Conclude meeting and end sharing": "a meeting, and the sharing of its agenda's cases",
    "Dispose of the case": "a closed case's personal data and documents, after its retention review",
    "Dispose of the case's records": "the same, confirmed on its own page",
}
WARNING = re.compile(r'class="govuk-button[^"]*govuk-button--warning[^"]*"[^>]*>([^<{]+)')


def test_the_warning_style_is_only_on_destructive_actions() -> None:
    found: dict[str, list[str]] = {}
    for path in TEMPLATES.rglob("*.html"):
        for label in WARNING.findall(path.read_text()):
            found.setdefault(label.strip(), []).append(str(path.relative_to(TEMPLATES)))
    misused = {label: where for label, where in found.items() if label not in DESTRUCTIVE}
    assert not misused, f"the red warning style is for destructive actions only: {misused}"
    assert set(found) == set(DESTRUCTIVE), f"listed but no longer in the warning style: {set(DESTRUCTIVE) - set(found)}"


def test_recording_a_marac_referral_is_not_in_the_warning_style() -> None:
    flags = (TEMPLATES / "risk" / "_flags.html").read_text()
    assert re.search(r'class="govuk-button( govuk-button--secondary)?" [^>]*>Record MARAC referral</button>', flags)
