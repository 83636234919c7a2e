from __future__ import annotations

from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondround.accounts.models import User
from secondround.security.models import SecurityPolicy


def policy() -> SecurityPolicy:
    return SecurityPolicy.objects.order_by("pk").first() or SecurityPolicy()


def has_two_factor(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def must_set_up_two_factor(user: User) -> bool:
    return user.is_org_admin and policy().require_admin_two_factor and not has_two_factor(user)


def pending_device(user: User) -> TOTPDevice | None:
    """The authenticator being set up: created, not yet confirmed with a first code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
