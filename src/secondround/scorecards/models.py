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


class Recommendation(models.TextChoices):
    STRONG_NO = "strong_no", _("Strong no")
    NO = "no", _("No")
    YES = "yes", _("Yes")
    STRONG_YES = "strong_yes", _("Strong yes")


class Scorecard(models.Model):
    class Round(models.IntegerChoices):
        """The one home of round numbers: imported or hand-entered first-round ratings, and
        the interviewers' scorecards from the second-round loop."""

        ONE = 1, _("Round one")
        TWO = 2, _("Round two")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scorecards"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scorecards"
    )
    round = models.PositiveSmallIntegerField(_("round"), choices=Round.choices)
    status = models.CharField(
        max_length=10, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Round two: the session it belongs to, and the interviewer's overall view.
    session = models.ForeignKey(
        "loops.LoopSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommendation = models.CharField(
        _("overall recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence in this scorecard"), null=True, blank=True, validators=ONE_TO_FIVE
    )
    takeaways = models.TextField(_("key takeaways"), blank=True)

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
    shareable = models.BooleanField(
        _("may be shared with the candidate"), default=False,
        help_text=_("Only evidence marked shareable can reach the candidate's feedback."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "competency"], name="one_rating_each"),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.rating or '—'}"


class Resolution(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    PARTLY_RESOLVED = "partly_resolved", _("Partly resolved")
    OPEN = "open", _("Still open")


class ItemResolution(models.Model):
    """What a round-two interviewer found about one clarification item of their session."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="resolutions")
    item = models.ForeignKey(
        "loops.ClarificationItem", on_delete=models.CASCADE, related_name="resolutions"
    )
    status = models.CharField(max_length=16, choices=Resolution.choices, default=Resolution.OPEN)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "item"], name="one_resolution_each"),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.status}"


class ScorecardRevision(models.Model):
    """A change to a submitted scorecard: who, when, why and what changed."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.scorecard} changed {self.changed_at:%Y-%m-%d}"
