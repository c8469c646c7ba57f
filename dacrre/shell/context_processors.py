"""The service navigation: each item is offered when the predicate its page guards with says yes
(dacrre/accounts/predicates.py), so no item leads to a page that refuses the user."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from dacrre.accounts.predicates import can
from dacrre.core.counts import counts
from records.selectors import reviews_due_count
from referrals.selectors import awaiting_response
from reminders.selectors import due_tasks


def navigation(request: HttpRequest) -> dict[str, Any]:  # noqa: C901
    user = request.user
    # Nothing about the service's content before both factors are in.
    verified = (settings.DEMO_SKIP_MFA and settings.DEBUG) or getattr(user, "is_verified", lambda: False)()
    if not user.is_authenticated or not verified:
        return {"navigation_items": []}
    # The counts the navigation shows, in one query, as they are now (never cached: a count shown is true).
    counted: dict[str, QuerySet[Any]] = {}
    if can(user, "cases.have_caseload"):
        counted["due"] = due_tasks(user)
    if can(user, "referrals.use"):
        counted["awaiting"] = awaiting_response(user)
    number = counts(counted)
    items: list[tuple[str, str]] = []
    if "due" in number:
        due = number["due"]
        items.append(("My caseload", reverse("cases:caseload")))
        items.append((f"My tasks ({due})" if due else "My tasks", reverse("reminders:my_tasks")))
    if can(user, "oversight.manage_team"):
        items.append(("Team", reverse("oversight:team")))
    if can(user, "cases.search"):
        items.append(("Cases", reverse("cases:list")))
    if "awaiting" in number:
        awaiting = number["awaiting"]
        items.append((f"Referrals ({awaiting})" if awaiting else "Referrals", reverse("referrals:inbox")))
    if can(user, "meetings.take_part"):
        items.append(("Meetings", reverse("meetings:list")))
    if can(user, "incidents.import"):
        items.append(("Import incidents", reverse("incidents:import")))
    if can(user, "scoring.view_scores"):
        # Possible duplicates are reached from the ranking, the team page and the import page: the
        # menu stays on one line at desktop widths.
        items.append(("Repeat perpetrators", reverse("scoring:ranking")))
    if can(user, "reports.view"):
        items.append(("Reports", reverse("reports:performance")))
    if can(user, "audit.read_access_log"):
        items.append(("Access log", reverse("audit:access_log")))
    if can(user, "records.manage"):
        due = reviews_due_count(user)
        items.append((f"Retention reviews ({due})" if due else "Retention reviews", reverse("records:reviews")))
        items.append(("Disposal records", reverse("records:disposals")))
        items.append(("Subject access", reverse("records:subject_access")))
    if can(user, "accounts.administer"):
        items.append(("Administration", reverse("admin:index")))
    current = request.path
    return {
        "navigation_items": [
            {"text": text, "href": href, "active": current == href or (href != "/" and current.startswith(href))}
            for text, href in items
        ]
    }
