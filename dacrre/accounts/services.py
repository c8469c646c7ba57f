"""Writes for agencies, areas and users."""

from collections.abc import Sequence

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Agency, AgencyKind, AgencySide, Area, Role, Scope, User


@transaction.atomic
def agency_create(*, name: str, kind: AgencyKind | str, side: AgencySide | str, areas: Sequence[str] = ()) -> Agency:
    group = Group.objects.create(name=f"agency:{name}")
    agency = Agency.objects.create(name=name, kind=kind, side=side, group=group)
    for area_name in areas:
        Area.objects.create(agency=agency, name=area_name)
    return agency


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    agency: Agency | None,
    role: Role | str,
    scope: Scope | str = Scope.ASSIGNED,
    area: Area | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
) -> User:
    if area is not None and area.agency_id != (agency.pk if agency else None):
        raise ValueError("The area must belong to the user's agency.")
    user = User(
        username=username,
        agency=agency,
        area=area,
        role=role,
        scope=scope,
        first_name=first_name,
        last_name=last_name,
        email=email,
        job_title=job_title,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user
