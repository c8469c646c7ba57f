"""Roles as Django groups ("role:<role>") holding model permissions.

Role permissions are checked through the role's group only (`has_role_permission`): superuser
status never grants them, so an administrator cannot read the audit log or break glass by accident.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from dacrre.accounts.models import Role, User

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: ["cases.view_case", "cases.change_case"],
    Role.SUPERVISOR: ["cases.view_case", "cases.change_case", "permissions.add_breakglassaccess"],
    Role.IDVA: ["cases.view_case", "cases.change_case"],
    Role.PARTNER_CASEWORKER: ["cases.view_case"],
    Role.ANALYST: ["cases.view_case", "incidents.view_incident", "incidents.add_incident"],
    Role.AUDITOR: ["audit.view_accesslog", "permissions.change_breakglassaccess"],
    Role.ADMIN: ["accounts.view_user", "accounts.change_user", "accounts.add_user", "people.change_personmerge"],
}


def role_group_name(role: str) -> str:
    return f"role:{role}"


@transaction.atomic
def roles_sync() -> None:
    """Create or update the role groups so that they hold exactly ROLE_PERMISSIONS. Idempotent."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        wanted = [
            Permission.objects.get(content_type__app_label=p.split(".")[0], codename=p.split(".")[1]) for p in perms
        ]
        group.permissions.set(wanted)


def has_role_permission(user: User, perm: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if perm not in ROLE_PERMISSIONS.get(user.role, ()):
        # The group holds exactly ROLE_PERMISSIONS (roles_sync): what the role is never given, its
        # group does not hold either, and the navigation asks this of every user on every page.
        return False
    app_label, codename = perm.split(".")
    # The user's role field names their group; one source of truth, no membership to drift.
    return Permission.objects.filter(
        group__name=role_group_name(user.role),
        content_type__app_label=app_label,
        codename=codename,
    ).exists()
