"""The candidate's side: preparation kits, private invitation links, stories, questions, practice.

A kit comes from one of two places:

* an **invitation**: a recruiter sends a finalist a private, expiring, revocable link; the
  kit shows the real position (its competencies, loop and company) and is built live from
  it, so it follows changes to the loop. Only the candidate's own work is stored here.
* a **posting**: a job seeker pastes a posting and what they know of the company; what was
  read from it is stored with the kit. Without an account, the kit belongs to whoever holds
  its secret key (kept in their browser session); an account keeps it for good.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import Application


class KitSource(models.TextChoices):
    INVITATION = "invitation", _("Invitation from an employer")
    POSTING = "posting", _("Job posting")


class PrepKit(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(max_length=12, choices=KitSource.choices)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.CASCADE, related_name="prep_kits"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="prep_kits",
    )
    access_hash = models.CharField(max_length=64, blank=True)  # sha256 of the session key
    company_name = models.CharField(_("company"), max_length=150, blank=True)
    posting_text = models.TextField(_("job posting"), blank=True)
    company_text = models.TextField(_("what you know of the company"), blank=True)
    parsed = models.JSONField(default=dict, blank=True)
    # {research item key: {"done": bool, "notes": str}}
    research = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preparation kit")
        verbose_name_plural = _("preparation kits")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(application__isnull=False),
                name="one_prep_kit_per_application",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if self.application_id is not None:
            return self.application.position.title  # type: ignore[union-attr]
        return str(self.parsed.get("title") or _("Job posting"))

    @property
    def is_invitation(self) -> bool:
        return self.source == KitSource.INVITATION


class InviteLink(models.Model):
    """A private link to a finalist's kit. Only a hash is stored; the link is shown once."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="prep_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_opened_at = models.DateTimeField(null=True, blank=True)
    times_opened = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("preparation link")
        verbose_name_plural = _("preparation links")

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.application}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class StoryKind(models.TextChoices):
    ACCOMPLISHMENT = "accomplishment", _("Accomplishment")
    CHALLENGE = "challenge", _("Challenge overcome")
    FAILURE = "failure", _("Mistake or failure, and what I learned")
    CONFLICT = "conflict", _("Disagreement or conflict")
    LEADERSHIP = "leadership", _("Leading or influencing others")
    PRESSURE = "pressure", _("Pressure or a tight deadline")


class Story(models.Model):
    """One prepared example, told as situation, task, action, result and what was learned."""

    kit = models.ForeignKey(PrepKit, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField(_("title"), max_length=150)
    kind = models.CharField(_("kind of story"), max_length=20, choices=StoryKind.choices)
    situation = models.TextField(_("situation"), blank=True)
    task = models.TextField(_("task"), blank=True)
    action = models.TextField(_("action"), blank=True)
    result = models.TextField(_("result"), blank=True)
    learned = models.TextField(_("what I learned"), blank=True)
    competencies = models.JSONField(_("competencies it shows"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")

    def __str__(self) -> str:
        return self.title

    @property
    def missing_parts(self) -> list[str]:
        return [
            p for p in ("situation", "task", "action", "result") if not getattr(self, p).strip()
        ]

    @property
    def is_complete(self) -> bool:
        """All four STAR parts written and at least one competency tagged."""
        return not self.missing_parts and bool(self.competencies)


class CandidateQuestion(models.Model):
    """A question the candidate means to ask the employer."""

    kit = models.ForeignKey(PrepKit, on_delete=models.CASCADE, related_name="my_questions")
    text = models.CharField(_("your question"), max_length=400)
    topic = models.CharField(max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    # Questions in advance (the portal): a question the candidate sent to the hiring team,
    # routed to the session best placed to answer it. Unsent questions stay private notes.
    shared_at = models.DateTimeField(_("sent to the team"), null=True, blank=True)
    session = models.ForeignKey(
        "loops.LoopSession",
        verbose_name=_("answered in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="candidate_questions",
    )
    routed_by = models.ForeignKey(  # None: the session was suggested from the topic
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_answer = models.TextField(_("written answer"), blank=True)
    written_answer_at = models.DateTimeField(null=True, blank=True)
    written_answer_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("question to ask")
        verbose_name_plural = _("questions to ask")

    def __str__(self) -> str:
        return self.text

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None or bool(self.written_answer)


class PracticeAttempt(models.Model):
    """One practice answer and the feedback it got."""

    kit = models.ForeignKey(PrepKit, on_delete=models.CASCADE, related_name="attempts")
    question = models.TextField(_("question"))
    competency = models.CharField(_("competency"), max_length=100, blank=True)
    answer = models.TextField(_("your answer"))
    seconds = models.PositiveIntegerField(_("time taken (seconds)"), null=True, blank=True)
    analysis = models.JSONField(default=dict)
    score = models.FloatField(default=0.0)  # 0..1, see services.attempt_score
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("practice attempt")
        verbose_name_plural = _("practice attempts")

    def __str__(self) -> str:
        return f"{self.question[:60]} ({self.created_at:%Y-%m-%d})"

    @property
    def star_parts(self) -> int:
        star = self.analysis.get("star", {})
        return sum(1 for part in star.values() if part.get("present"))
