"""Two-factor sign-in (TOTP authenticator apps) and the organisation's sign-in rule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from secondround.accounts.models import User
from secondround.audit.models import AuditAction
from secondround.audit.services import record_event
from secondround.security import selectors
from secondround.security.models import SecurityPolicy

WRONG_CODE = (
    "That code was not accepted. A code works once and only for about 30 seconds, and after a "
    "wrong one there is a short wait: wait for the next code your app shows, then enter it."
)


@transaction.atomic
def start_two_factor(*, user: User) -> TOTPDevice:
    """A fresh secret to scan; any earlier unfinished set-up is replaced."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_two_factor(*, user: User, code: str) -> TOTPDevice:
    device = selectors.pending_device(user)
    if device is None:
        raise ValidationError({"code": "Start the set-up again: no authenticator is waiting."})
    if not device.verify_token(code.strip()):
        raise ValidationError({"code": WRONG_CODE})
    # One authenticator per person: confirming a new one retires the old.
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def verify_code(*, user: User, code: str) -> TOTPDevice:
    """The confirmed device that accepts this code; django-otp throttles repeated misses."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None or not device.verify_token(code.strip()):
        raise ValidationError({"code": WRONG_CODE})
    return device


@transaction.atomic
def turn_off_two_factor(*, user: User, code: str) -> int:
    """Remove the person's authenticator; returns how many devices were removed."""
    if selectors.policy().require_admin_two_factor and user.is_org_admin:
        raise ValidationError(
            {"code": "Your organisation requires admins to use an authenticator app."}
        )
    verify_code(user=user, code=code)
    removed: int = TOTPDevice.objects.filter(user=user).delete()[0]
    return removed


@transaction.atomic
def update_security_policy(*, actor: User, require_admin_two_factor: bool) -> SecurityPolicy:
    if not actor.is_org_admin:
        raise PermissionDenied
    policy = SecurityPolicy.objects.select_for_update().order_by("pk").first() or SecurityPolicy()
    policy.require_admin_two_factor = require_admin_two_factor
    policy.save()
    record_event(
        actor=actor,
        action=AuditAction.SECURITY_CHANGED,
        target=policy,
        summary=f"two-factor for admins: {'required' if require_admin_two_factor else 'optional'}",
    )
    return policy
