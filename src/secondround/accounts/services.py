"""Writes for people and their API tokens; admins invite, change and deactivate colleagues."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from secondround.accounts.language import is_valid_language, speaking_to
from secondround.accounts.models import ApiToken, Department, Role, User
from secondround.audit.models import AuditAction
from secondround.audit.services import record_event

TOKEN_PREFIX = "sr_"


def department_named(name: str) -> Department | None:
    """The department of that name, made when new; None for a blank name.

    Spaces and case do not make another department ("engineering" is "Engineering"), and a
    name longer than the column is refused naming the field, before a database refuses it.
    """
    name = _department_name(name)
    if not name:
        return None
    existing = Department.objects.filter(name__iexact=name).first()
    return existing or Department.objects.create(name=name)


def _department_name(name: str) -> str:
    """A department's name with its spaces tidied, refused naming the field when too long."""
    name = " ".join(name.split())
    limit = Department._meta.get_field("name").max_length or 0
    if len(name) > limit:
        raise ValidationError(
            {"department": _("Keep a department's name under %(n)d characters.") % {"n": limit}}
        )
    return name


def check_new_user(
    *, email: str, full_name: str, role: str = Role.INTERVIEWER, department: str = "",
    title: str = "",
) -> None:  # fmt: skip
    """Every argument of a new user but the password, checked without writing anything, each
    problem named by its field (the command line asks for a password only after this)."""
    email = email.strip().lower()
    errors: dict[str, list[str]] = {}
    if role not in Role.values:
        errors["role"] = [_("Role must be one of: %s.") % ", ".join(Role.values)]
    if User.objects.filter(email=email).exists():
        errors["email"] = [_("A user with this email already exists.")]
    try:
        _department_name(department)
    except ValidationError as error:
        errors.update(error.message_dict)
    user = User(email=email, full_name=full_name.strip(), role=Role.INTERVIEWER, title=title)
    try:
        user.full_clean(exclude=["password", "department", "role"], validate_unique=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


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
    check_new_user(email=email, full_name=full_name, role=role, department=department, title=title)
    email = email.strip().lower()
    dept = department_named(department)
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


# --- colleagues: the admins' Users page ----------------------------------------------------

# Roles an admin gives a colleague. Job seekers sign themselves up and are not colleagues.
COLLEAGUE_ROLES = tuple(role for role in Role.values if role != Role.JOB_SEEKER)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """One-time links to set a first password. They expire after PASSWORD_RESET_TIMEOUT and
    stop working once a password is set (the hash covers the password and last login)."""

    key_salt = "secondround.accounts.invitation"


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user: User) -> str:
    return reverse(
        "invitation",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), invitation_tokens.make_token(user)],
    )


def invitation_valid_days() -> int:
    return max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))


def _require_admin(actor: User) -> None:
    if not actor.is_org_admin:
        raise PermissionDenied(_("Only admins manage users."))


def _check_role(role: str) -> None:
    if role not in COLLEAGUE_ROLES:
        raise ValidationError({"role": _("Role must be one of: %s.") % ", ".join(COLLEAGUE_ROLES)})


def _check_language(language: str) -> None:
    if not is_valid_language(language):
        codes = ", ".join(code for code, _name in settings.LANGUAGES)
        raise ValidationError(
            {"language": _("Choose one of: %(codes)s, or blank for the organisation's.")
             % {"codes": codes}}
        )  # fmt: skip


def _give_role(user: User, role: str) -> None:
    user.role = role
    user.is_staff = user.is_superuser = role == Role.ADMIN


@transaction.atomic
def invite_colleague(
    *,
    actor: User,
    email: str,
    full_name: str,
    role: str,
    department: Department | None = None,
    title: str = "",
    language: str = "",
    site_url: str,
) -> User:
    """Create a colleague without a password and email them a link to set one (in their
    language: blank is the organisation's).

    The mail is sent inside the transaction: when it cannot be sent, nobody is created.
    """
    _require_admin(actor)
    email = email.strip().lower()
    _check_role(role)
    _check_language(language)
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("Someone with this email already has an account.")})
    user = User(
        email=email, full_name=full_name.strip(), department=department, title=title,
        language=language,
    )  # fmt: skip
    _give_role(user, role)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    _send_invitation(actor=actor, user=user, site_url=site_url)
    return user


@transaction.atomic
def resend_invitation(*, actor: User, user: User, site_url: str) -> None:
    """A fresh link for someone who has not set a password yet (the old one may have expired)."""
    _require_admin(actor)
    if user.has_usable_password() or not user.is_active:
        raise ValidationError({"email": _("Only an active colleague still invited gets a link.")})
    _send_invitation(actor=actor, user=user, site_url=site_url)


def _send_invitation(*, actor: User, user: User, site_url: str) -> None:
    link = site_url.rstrip("/") + invitation_path(user)
    try:
        with speaking_to(user):
            _mail_invitation(actor=actor, user=user, link=link)
    except OSError as error:
        raise ValidationError(
            {"email": _("The invitation could not be sent (%s); nothing was saved.") % error}
        ) from error


def _mail_invitation(*, actor: User, user: User, link: str) -> None:
    send_mail(
        subject=_("You are invited to secondround"),
        message=_(
            "Hello %(name)s,\n\n%(admin)s invited you to secondround, where your team runs "
            "second-round interviews.\n\nSet your password here (the link works once and "
            "for %(days)d days):\n%(link)s\n\nYou sign in with %(email)s.\n"
        )
        % {
            "name": user.get_short_name(),
            "admin": actor.full_name or actor.email,
            "days": invitation_valid_days(),
            "link": link,
            "email": user.email,
        },
        from_email=None,
        recipient_list=[user.email],
    )


@transaction.atomic
def update_colleague(
    *,
    actor: User,
    user: User,
    full_name: str,
    role: str,
    department: Department | None,
    title: str = "",
    language: str | None = None,
) -> User:
    """Change a colleague's name, role, department, title or language (None keeps it)."""
    _require_admin(actor)
    if user.role == Role.JOB_SEEKER:
        raise ValidationError({"role": _("Job seekers are not colleagues; their role stays.")})
    _check_role(role)
    if language is not None:
        _check_language(language)
        user.language = language
    if user.pk == actor.pk and role != Role.ADMIN:
        raise ValidationError({"role": _("You cannot remove your own admin role.")})
    previous_role = user.get_role_display()
    user.full_name, user.department, user.title = full_name.strip(), department, title.strip()
    _give_role(user, role)
    user.full_clean()
    user.save()
    if user.get_role_display() != previous_role:
        record_event(
            actor=actor,
            action=AuditAction.ROLE_CHANGED,
            target=user,
            summary=f"{user.email}: {previous_role} → {user.get_role_display()}",
        )
    return user


@transaction.atomic
def set_colleague_active(*, actor: User, user: User, active: bool) -> User:
    """Deactivate (no sign-in, no API, no team access; history kept) or reactivate."""
    _require_admin(actor)
    if user.role == Role.JOB_SEEKER:
        raise ValidationError({"user": _("Job seekers are not managed here.")})
    if not active and user.pk == actor.pk:
        raise ValidationError({"user": _("You cannot deactivate yourself.")})
    if user.is_active == active:
        return user  # already so: nothing to record
    user.is_active = active
    user.save(update_fields=["is_active"])
    record_event(
        actor=actor,
        action=AuditAction.USER_REACTIVATED if active else AuditAction.USER_DEACTIVATED,
        target=user,
        summary=user.email,
    )
    return user


@transaction.atomic
def set_colleague_language(*, actor: User, user: User, language: str) -> User:
    """Choose the language of a colleague's mails and pages: their own, or an admin's choice
    for them. Blank follows the organisation's language."""
    if actor.pk != user.pk and not actor.is_org_admin:
        raise PermissionDenied(_("Only admins choose someone else's language."))
    if not user.is_organisation_member:
        raise ValidationError({"user": _("Only active colleagues have a language here.")})
    _check_language(language)
    user.language = language
    user.save(update_fields=["language"])
    return user
