"""The service navigation, which depends on the user's role."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from cases.access.rules import can_view_scores
from dacrre.accounts.models import Role
from referrals.selectors import awaiting_response_count
from reminders.selectors import due_task_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    # Nothing about the service's content before both factors are in.
    verified = (settings.DEMO_SKIP_MFA and settings.DEBUG) or getattr(user, "is_verified", lambda: False)()
    if not user.is_authenticated or not verified:
        return {"navigation_items": []}
    items: list[tuple[str, str]] = []
    if user.role in {Role.OFFICER, Role.SUPERVISOR, Role.IDVA, Role.PARTNER_CASEWORKER}:
        items.append(("My caseload", reverse("cases:caseload")))
        due = due_task_count(user)
        items.append((f"My tasks ({due})" if due else "My tasks", reverse("reminders:my_tasks")))
    if user.role == Role.SUPERVISOR and user.agency_id is not None:
        items.append(("Team", reverse("oversight:team")))
    if user.role != Role.AUDITOR:
        items.append(("Cases", reverse("cases:list")))
    if user.agency_id is not None and user.role in {Role.OFFICER, Role.SUPERVISOR, Role.IDVA, Role.PARTNER_CASEWORKER}:
        awaiting = awaiting_response_count(user)
        items.append((f"Referrals ({awaiting})" if awaiting else "Referrals", reverse("referrals:inbox")))
        items.append(("Meetings", reverse("meetings:list")))
    if user.role == Role.ANALYST:
        items.append(("Import incidents", reverse("incidents:import")))
    if can_view_scores(user):
        # Possible duplicates are reached from the ranking, the team page and the import: the menu
        # stays on one line at desktop widths.
        items.append(("Repeat perpetrators", reverse("scoring:ranking")))
        items.append(("Reports", reverse("reports:performance")))
    if user.role == Role.AUDITOR:
        items.append(("Access log", reverse("audit:access_log")))
    if user.role == Role.ADMIN or user.is_staff:
        items.append(("Administration", reverse("admin:index")))
    current = request.path
    return {
        "navigation_items": [
            {"text": text, "href": href, "active": current == href or (href != "/" and current.startswith(href))}
            for text, href in items
        ]
    }
