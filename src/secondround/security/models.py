"""The organisation's sign-in rules."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityPolicy(models.Model):
    """One row per installation (see `selectors.policy`)."""

    require_admin_two_factor = models.BooleanField(
        _("admins must sign in with a one-time code"),
        default=False,
        help_text=_(
            "Admins without an authenticator app are asked to set one up at their next page."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return "two-factor required for admins" if self.require_admin_two_factor else "default"
