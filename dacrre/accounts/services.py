"""Writes for agencies, areas and users."""

from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dacrre.core.exceptions import ApplicationError

from .models import Agency, AgencyKind, AgencySide, Area, Role, Scope, User, default_scope_for
from .signals import second_factor_enrolled, second_factor_reset


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
    scope: Scope | str | None = None,
    area: Area | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    job_title: str = "",
) -> User:
    """A user whose scope is one their role may hold (the role's default when none is given); anything
    else is refused with the admin's message (User.clean)."""
    if area is not None and area.agency_id != (agency.pk if agency else None):
        raise ValueError("The area must belong to the user's agency.")
    scope = scope or default_scope_for(role)
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


# Second factor -----------------------------------------------------------------------------------


def second_factor_enrolment_device(*, user: User) -> TOTPDevice:
    """The authenticator being set up: unconfirmed until the user proves it with a code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def user_has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def second_factor_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a code from it; return new one-time recovery codes (shown once)."""
    if device.user_id != user.pk or device.confirmed:
        raise ApplicationError("Start setting up your authenticator app again.", field="token")
    if not device.verify_token(token.strip()):
        raise ApplicationError(
            "The code is not correct or has expired. Enter the latest code shown in your app", field="token"
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    second_factor_enrolled.send(sender=User, user=user)
    return codes


def second_factor_check(*, user: User, token: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts this code (an authenticator code, or a recovery code which is then used up)."""
    token = token.strip().replace(" ", "")
    for device in [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]:
        if device.verify_token(token):
            return device
    return None


@transaction.atomic
def user_second_factor_reset(*, actor: User, user: User) -> None:
    """An administrator resets a user's second factor: they enrol again at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    second_factor_reset.send(sender=User, actor=actor, user=user)
