"""Feedback letters: the hiring manager's working draft and every approved version.

The candidate reads the latest approved version. An approved version never changes: editing
the draft changes nothing the candidate sees until the draft is approved again, as a new
version, and earlier versions are kept.

Sections are a list of ``{"competency": name, "went_well": text, "stronger": text}``; the
competency's name is copied so a version reads the same after the position changes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import Application

# Each text of a letter (opening, closing, one half of a section): a long letter still fits.
LETTER_TEXT_MAX = 5_000


class LetterContent(models.Model):
    opening = models.TextField(_("opening"), blank=True)
    sections = models.JSONField(default=list, blank=True)
    closing = models.TextField(_("closing"), blank=True)

    class Meta:
        abstract = True

    def content(self) -> dict[str, Any]:
        return {"opening": self.opening, "sections": self.sections, "closing": self.closing}


class FeedbackLetter(LetterContent):
    """The working draft for one finalist (the candidate never sees it as such)."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="feedback_letter"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("feedback letter")
        verbose_name_plural = _("feedback letters")

    def __str__(self) -> str:
        return f"Feedback letter for {self.application}"


class LetterVersion(LetterContent):
    """One approved version: what the candidate reads (the newest) or read before."""

    letter = models.ForeignKey(FeedbackLetter, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("approved feedback letter")
        verbose_name_plural = _("approved feedback letters")
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="one_letter_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.letter} v{self.number}"
