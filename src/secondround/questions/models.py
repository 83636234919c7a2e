"""The question bank and the role-specific practical scenarios."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import CompetencyKind


class QuestionType(models.TextChoices):
    BEHAVIOURAL = "behavioural", _("Behavioural")
    SITUATIONAL = "situational", _("Situational")
    TECHNICAL = "technical", _("Technical")
    PROBLEM_SOLVING = "problem_solving", _("Problem-solving")
    CLARIFICATION = "clarification", _("Clarification template")


class GapReasonChoice(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed in round one")
    SINGLE_RATER = "single_rater", _("Only one interviewer")
    LOW_CONFIDENCE = "low_confidence", _("Low confidence")
    SPLIT = "split", _("Interviewers split")
    CONCERN = "concern", _("Concern raised")
    THIN_EVIDENCE = "thin_evidence", _("Thin evidence")


class Question(models.Model):
    key = models.SlugField(max_length=80, unique=True, null=True, blank=True)
    text = models.TextField(_("question"))
    type = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    kind = models.CharField(_("competency kind"), max_length=20, choices=CompetencyKind.choices)
    role_families = models.JSONField(
        _("role families"), default=list, blank=True, help_text=_("Empty means every role.")
    )
    reason = models.CharField(
        _("clarifies"), max_length=20, choices=GapReasonChoice.choices, blank=True
    )
    follow_ups = models.JSONField(_("follow-up probes"), default=list)
    answer_1 = models.TextField(_("what a 1 answer sounds like"))
    answer_3 = models.TextField(_("what a 3 answer sounds like"))
    answer_5 = models.TextField(_("what a 5 answer sounds like"))
    builtin = models.BooleanField(default=False, editable=False)
    retired = models.BooleanField(_("retired"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "type", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text[:80]

    def suits(self, role_family: str) -> bool:
        return not self.role_families or role_family in self.role_families


class Scenario(models.Model):
    key = models.SlugField(max_length=80, unique=True, null=True, blank=True)
    role_family = models.CharField(_("role family"), max_length=60)
    title = models.CharField(_("title"), max_length=150)
    brief = models.TextField(_("brief for the candidate"))
    materials = models.JSONField(_("materials"), default=list)
    timebox_minutes = models.PositiveSmallIntegerField(_("timebox (minutes)"), default=45)
    watch_for = models.JSONField(_("what the interviewer watches for"), default=list)
    rubric = models.JSONField(
        _("rubric"), default=list, help_text=_("[{competency, what_good_looks_like}]")
    )
    builtin = models.BooleanField(default=False, editable=False)
    retired = models.BooleanField(_("retired"), default=False)

    class Meta:
        ordering = ["role_family", "title"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.title
