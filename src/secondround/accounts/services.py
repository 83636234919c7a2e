"""Writes for people and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import ApiToken, Department, Role, User

TOKEN_PREFIX = "sr_"


@transaction.atomic
def create_user(
    *,
    email: str,
    full_name: str,
    password: str,
    role: str = Role.INTERVIEWER,
    department: str = "",
    title: str = "",
    check_password: bool = True,
) -> User:
    """Create a user; department is created by name when new."""
    email = email.strip().lower()
    if role not in Role.values:
        raise ValidationError({"role": _("Role must be one of: %s.") % ", ".join(Role.values)})
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("A user with this email already exists.")})
    dept = (
        Department.objects.get_or_create(name=department.strip())[0] if department.strip() else None
    )
    user = User(email=email, full_name=full_name.strip(), role=role, department=dept, title=title)
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    if check_password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


LAST_USED_RESOLUTION = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, so you know what uses it.")})
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:10], key_hash=_hash(key))
    return token, key


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk and not actor.is_org_admin:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def user_for_api_key(key: str) -> User | None:
    """The active user a token belongs to, or None for an unknown or revoked token."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # Reads should not each write: "last used" is kept to the minute, at most one write a minute.
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
