"""Scorecards: one model for every round. A scorecard is one interviewer's view of one candidate."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import Application, Competency

ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Scorecard(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scorecards"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards"
    )
    round = models.PositiveSmallIntegerField(_("round"), validators=[MinValueValidator(1)])
    status = models.CharField(
        max_length=10, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "interviewer", "round"], name="one_scorecard_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"R{self.round} {self.interviewer} on {self.application.candidate}"


class Rating(models.Model):
    """One competency on one scorecard: 1–5, or not assessed (rating is null)."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=ONE_TO_FIVE
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), null=True, blank=True, validators=ONE_TO_FIVE,
        help_text=_("1 = unsure, 5 = certain."),
    )  # fmt: skip
    notes = models.TextField(_("evidence notes"), blank=True)
    concern = models.BooleanField(_("concern raised"), default=False)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "competency"], name="one_rating_each"),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.rating or '—'}"
