"""Data protection: how long candidates' personal data is kept, and the record of erasures."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionPolicy(models.Model):
    """The organisation's retention rule. One row per installation (see `selectors.policy`)."""

    enabled = models.BooleanField(
        _("anonymise candidates automatically"),
        default=True,
        help_text=_("Hired people are always kept."),
    )
    days_after_closing = models.PositiveIntegerField(
        _("days after rejection or withdrawal"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("A candidate whose every application ended this long ago is anonymised."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policy")

    def __str__(self) -> str:
        return f"{self.days_after_closing} days" if self.enabled else "off"


class ErasureReason(models.TextChoices):
    REQUEST = "request", _("On the candidate's request")
    RETENTION = "retention", _("Retention period passed")


class Erasure(models.Model):
    """That a candidate's personal data was erased, when, by whom and why. Holds no personal data."""

    candidate = models.OneToOneField(
        "hiring.Candidate", on_delete=models.CASCADE, related_name="erasure"
    )
    reason = models.CharField(_("why"), max_length=16, choices=ErasureReason.choices)
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"candidate {self.candidate_id} erased {self.erased_at:%Y-%m-%d}"
