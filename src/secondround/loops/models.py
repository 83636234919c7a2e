"""Round two, planned: one loop shared by all finalists, and each finalist's clarification items."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import Application, Competency, Position
from secondround.questions.models import Question, Scenario


class PlanStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")


class LoopPlan(models.Model):
    position = models.OneToOneField(Position, on_delete=models.CASCADE, related_name="loop_plan")
    time_budget_minutes = models.PositiveSmallIntegerField(_("time budget (minutes)"), default=300)
    status = models.CharField(
        max_length=10, choices=PlanStatus.choices, default=PlanStatus.PROPOSED
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checks = models.JSONField(default=list, blank=True, help_text=_("Rule violations, last check."))
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("loop plan")
        verbose_name_plural = _("loop plans")

    def __str__(self) -> str:
        return f"Round two for {self.position}"

    @property
    def total_minutes(self) -> int:
        return sum(s.duration_minutes for s in self.sessions.all())


class SessionKind(models.TextChoices):
    WELCOME = "welcome", _("Welcome")
    DEEP_DIVE = "deep_dive", _("Role deep dive")
    SCENARIO = "scenario", _("Role-specific scenario")
    CROSS_DEPARTMENT = "cross_department", _("Cross-department collaboration")
    VALUES = "values", _("Values and culture")
    MANAGER = "manager", _("Hiring manager conversation")
    CANDIDATE_QUESTIONS = "candidate_questions", _("The candidate's questions")
    WRAP_UP = "wrap_up", _("Wrap-up and next steps")


class LoopSession(models.Model):
    plan = models.ForeignKey(LoopPlan, on_delete=models.CASCADE, related_name="sessions")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=24, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=150)
    purpose = models.TextField(_("purpose"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    competency_kinds = models.JSONField(default=list, blank=True)
    scenario = models.ForeignKey(
        Scenario, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("loop session")
        verbose_name_plural = _("loop sessions")

    def __str__(self) -> str:
        return self.title

    @property
    def assesses(self) -> bool:
        return bool(self.competency_kinds)


class Seat(models.Model):
    """One interviewer in one session, with the competencies they focus on (at most three)."""

    session = models.ForeignKey(LoopSession, on_delete=models.CASCADE, related_name="seats")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seats"
    )
    competencies = models.ManyToManyField(Competency, blank=True, related_name="seats")

    class Meta:
        ordering = ["session__order", "id"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(fields=["session", "interviewer"], name="one_seat_each"),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} in {self.session}"


class SessionQuestion(models.Model):
    session = models.ForeignKey(LoopSession, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return str(self.question)


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    PARTLY_RESOLVED = "partly_resolved", _("Partly resolved")
    DISMISSED = "dismissed", _("Dismissed")


class ClarificationItem(models.Model):
    """Something round one left open about one finalist, carried into one round-two session."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="clarification_items"
    )
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    reasons = models.JSONField(default=list, blank=True)
    priority = models.FloatField(default=0.5)
    summary = models.TextField(_("what is open"))
    evidence = models.JSONField(default=list, blank=True)
    questions = models.TextField(_("questions to ask"), blank=True, help_text=_("One per line."))
    session = models.ForeignKey(
        LoopSession, null=True, blank=True, on_delete=models.SET_NULL, related_name="items",
        verbose_name=_("owning session"),
    )  # fmt: skip
    status = models.CharField(max_length=16, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    from_gap_analysis = models.BooleanField(default=True, editable=False)
    edited = models.BooleanField(default=False, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-priority", "id"]
        verbose_name = _("clarification item")
        verbose_name_plural = _("clarification items")

    def __str__(self) -> str:
        return self.summary[:80]

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class SeatStandIn(models.Model):
    """For one finalist, another qualified person sits this seat (a replacement booked after a
    decline). The kit and the round-two scorecard for that finalist follow them; the seat's own
    interviewer keeps it for every other finalist. Written by scheduling's replacement."""

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="stand_ins")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="seat_stand_ins"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seat_stand_ins"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("stand-in")
        verbose_name_plural = _("stand-ins")
        constraints = [
            models.UniqueConstraint(fields=["seat", "application"], name="one_stand_in_per_seat")
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} for {self.seat}"
