"""The debrief: a cached calibration of the whole rating history, and decision records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import Application, Competency


class CalibrationSnapshot(models.Model):
    """One fit of the calibration engine over every rating the organisation has, as JSON
    with a schema version (`debrief/calibration.py` documents the format and reads it back;
    null, or another schema: to be refitted)."""

    created_at = models.DateTimeField(default=timezone.now)
    n_ratings = models.PositiveIntegerField()
    result = models.JSONField(null=True, blank=True)

    class Meta:
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Calibration of {self.n_ratings} ratings at {self.created_at:%Y-%m-%d %H:%M}"


class DecisionKind(models.TextChoices):
    HIRE = "hire", _("Hire / make an offer")
    REJECT = "reject", _("Reject")
    ANOTHER_CONVERSATION = "another_conversation", _("Another conversation")
    ON_HOLD = "on_hold", _("On hold")


class Decision(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    decision = models.CharField(_("decision"), max_length=24, choices=DecisionKind.choices)
    reasons = models.TextField(_("reasons, tied to competencies and evidence"))
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies the reasons rest on"), related_name="+"
    )
    dissent = models.JSONField(
        _("dissenting views"), default=list, blank=True, help_text=_("[{person, view}]")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    next_step = models.CharField(_("next step"), max_length=250)
    next_step_date = models.DateField(_("next step by"))
    # Decided while round-two scorecards were missing: the scores it rests on were provisional.
    provisional = models.BooleanField(_("decided on provisional scores"), default=False)
    scorecards_missing = models.JSONField(
        _("round-two scorecards missing when decided"), default=list, blank=True,
        help_text=_("Names of the interviewers still to submit."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application}: {self.get_decision_display()}"


class DecisionRevision(models.Model):
    """The record cannot be silently edited: every change keeps what it was and why."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="revisions")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField()
    before = models.JSONField()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.decision} revised {self.changed_at:%Y-%m-%d}"
