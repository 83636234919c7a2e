"""The hiring domain: the company, its positions and competencies, candidates and applications."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondround.accounts.models import Department
from secondround.limits import POSITION_TEXT_MAX

SCALE = range(1, 6)  # every competency is rated on a behaviourally anchored 1–5 scale


class CompanyProfile(models.Model):
    """What candidates should know about the company. One per installation."""

    name = models.CharField(_("company name"), max_length=150)
    mission = models.TextField(_("mission"), blank=True)
    expectations = models.TextField(_("what we expect of everyone"), blank=True)
    career_progression = models.TextField(_("career progression"), blank=True)
    professional_development = models.TextField(_("professional development"), blank=True)
    growth_support = models.TextField(_("how we support growth"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("company profile")
        verbose_name_plural = _("company profile")

    def __str__(self) -> str:
        return self.name


class CompanyValue(models.Model):
    company = models.ForeignKey(CompanyProfile, on_delete=models.CASCADE, related_name="values")
    name = models.CharField(_("value"), max_length=100)
    description = models.TextField(_("what it means"), blank=True)
    behaviours = models.TextField(_("behaviours that show it"), help_text=_("One per line."))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("company value")
        verbose_name_plural = _("company values")
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="unique_value_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def behaviour_list(self) -> list[str]:
        return [line.strip() for line in self.behaviours.splitlines() if line.strip()]


class PositionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    ON_HOLD = "on_hold", _("On hold")
    CLOSED = "closed", _("Closed")


class Position(models.Model):
    title = models.CharField(_("title"), max_length=150)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="positions"
    )
    role_family = models.CharField(_("role family"), max_length=60, blank=True)
    # Each at most POSITION_TEXT_MAX characters: a validator, so full_clean() keeps it for
    # the page, the API and the CLI alike (a TextField's max_length would not be checked, and
    # SQLite would rebuild the table to record it).
    summary = models.TextField(
        _("summary"), blank=True, validators=[MaxLengthValidator(POSITION_TEXT_MAX)]
    )
    responsibilities = models.TextField(
        _("responsibilities"), blank=True, help_text=_("One per line."),
        validators=[MaxLengthValidator(POSITION_TEXT_MAX)],
    )  # fmt: skip
    expectations = models.TextField(
        _("expectations"), blank=True, help_text=_("One per line."),
        validators=[MaxLengthValidator(POSITION_TEXT_MAX)],
    )  # fmt: skip
    status = models.CharField(
        _("status"), max_length=10, choices=PositionStatus.choices, default=PositionStatus.OPEN
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hiring manager"),
        on_delete=models.PROTECT,
        related_name="managed_positions",
    )
    recruiters = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recruiters"),
        related_name="recruiting_positions",
        blank=True,
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interview panel"),
        related_name="panel_positions",
        blank=True,
    )
    share_scenario_brief = models.BooleanField(
        _("share the scenario brief with finalists in advance"),
        default=False,
        help_text=_(
            "Off: finalists learn the exercise's format and length only. The loop's own "
            "questions are never shown to them."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now)
    # The last save from the edit page (or API), for refusing one based on an older copy
    # (secondround.revisions); empty until the position is first edited.
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["title"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.title

    @property
    def responsibility_list(self) -> list[str]:
        return [line.strip() for line in self.responsibilities.splitlines() if line.strip()]

    @property
    def expectation_list(self) -> list[str]:
        return [line.strip() for line in self.expectations.splitlines() if line.strip()]


class CompetencyKind(models.TextChoices):
    TECHNICAL = "technical", _("Technical expertise")
    PROBLEM_SOLVING = "problem_solving", _("Problem-solving")
    LEADERSHIP = "leadership", _("Leadership")
    STRESS = "stress", _("Handling stress")
    COLLABORATION = "collaboration", _("Collaboration")
    VALUES = "values", _("Company values")
    ROLE_SPECIFIC = "role_specific", _("Role-specific")


# A saved weight (the competency page, the API, the debrief's save). The debrief's "what if"
# also takes 0, to leave a competency out for a moment; 0 is never saved.
WEIGHT_MIN, WEIGHT_MAX = 1, 5


class Competency(models.Model):
    """What a position is assessed on, with a behavioural anchor for each point of the scale."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="competencies")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=CompetencyKind.choices)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(WEIGHT_MIN), MaxValueValidator(WEIGHT_MAX)],
    )
    must_have = models.BooleanField(_("must-have"), default=False)
    anchor_1 = models.TextField(_("1 — anchor"))
    anchor_2 = models.TextField(_("2 — anchor"))
    anchor_3 = models.TextField(_("3 — anchor"))
    anchor_4 = models.TextField(_("4 — anchor"))
    anchor_5 = models.TextField(_("5 — anchor"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["position", "name"], name="unique_competency_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def anchors(self) -> list[tuple[int, str]]:
        return [(point, getattr(self, f"anchor_{point}")) for point in SCALE]


class Candidate(models.Model):
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), unique=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    location = models.CharField(_("location"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True)
    # The language of every message and page the candidate gets (messaging renders in it).
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return self.full_name


class Stage(models.TextChoices):
    APPLIED = "applied", _("Applied")
    FIRST_ROUND = "first_round", _("First round")
    SECOND_ROUND = "second_round", _("Second round")
    DECISION = "decision", _("Decision")
    OFFER = "offer", _("Offer")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    # Named groups of stages: the one home of "which stages count as …" (methods, so that
    # they are not members of the choices).
    @classmethod
    def finalists(cls) -> tuple[Stage, ...]:
        """In round two or waiting for its decision: the loop is planned for them."""
        return (cls.SECOND_ROUND, cls.DECISION)

    @classmethod
    def past_round_one(cls) -> tuple[Stage, ...]:
        """Through round one and not yet closed: a preparation link still works, and a move
        from here follows from round-two ratings (the decision trail)."""
        return (cls.SECOND_ROUND, cls.DECISION, cls.OFFER)

    @classmethod
    def reached_round_two(cls) -> tuple[Stage, ...]:
        """Got to round two and were not turned away: compared with each other by the
        calibration."""
        return (cls.SECOND_ROUND, cls.DECISION, cls.OFFER, cls.HIRED)


class FinalOutcome(models.TextChoices):
    """The last final word the candidate was sent (messaging's offer or "not this time")."""

    OFFER = "offer", _("offer")
    NOT_THIS_TIME = "not_this_time", _("not this time")


class Application(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="applications")
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.APPLIED
    )
    created_at = models.DateTimeField(default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    # No ghosting: the date the candidate was promised a decision by (set on entering round
    # two), when an outcome message was queued for them, and why none was if it was closed
    # without one. Messaging writes these; move_application checks them before closing.
    promised_decision_on = models.DateField(_("promised decision by"), null=True, blank=True)
    outcome_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Which final outcome that was: a reject after an offer was sent must not close quietly.
    final_outcome = models.CharField(
        max_length=20, choices=FinalOutcome.choices, blank=True, editable=False
    )
    no_outcome_reason = models.TextField(_("why no outcome message was sent"), blank=True)

    class Meta:
        ordering = ["position__title", "candidate__full_name"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "position"], name="one_application_each"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.position}"


class StageMove(models.Model):
    """The history of an application: who moved it, when, from where to where, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moved_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["moved_at", "id"]
        verbose_name = _("stage move")
        verbose_name_plural = _("stage moves")

    def __str__(self) -> str:
        return f"{self.application}: {self.from_stage or '—'} → {self.to_stage}"


class Interview(models.Model):
    """One interviewer's conversation with a candidate. Later issues plan these as loops."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interviews"
    )
    title = models.CharField(_("title"), max_length=150)
    round = models.PositiveSmallIntegerField(_("round"), default=2)
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=45)
    location = models.CharField(_("location"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self) -> str:
        return f"{self.title} — {self.application.candidate}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


#: Kinds every colleague may rate without a recorded qualification: anyone can judge how a
#: candidate works with others and whether they act on the company's values.
OPEN_KINDS = (CompetencyKind.VALUES, CompetencyKind.COLLABORATION)


class RaterQualification(models.Model):
    """Who may rate what in round two: one person, for one competency kind or one competency.

    The loop planner seats a person to rate a competency only if they hold a qualification
    for it or for its kind, or its kind is open to everyone (``OPEN_KINDS``).
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CompetencyKind.choices, blank=True)
    competency = models.ForeignKey(
        Competency, null=True, blank=True, on_delete=models.CASCADE, related_name="qualified_raters"
    )

    class Meta:
        verbose_name = _("rater qualification")
        verbose_name_plural = _("rater qualifications")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="") & models.Q(competency__isnull=False))
                | (~models.Q(kind="") & models.Q(competency__isnull=True)),
                name="qualification_for_a_kind_or_a_competency",
            ),
            models.UniqueConstraint(
                fields=["person", "kind"], condition=~models.Q(kind=""), name="one_kind_each"
            ),
            models.UniqueConstraint(
                fields=["person", "competency"],
                condition=models.Q(competency__isnull=False),
                name="one_competency_each",
            ),
        ]

    def __str__(self) -> str:
        what = self.competency or self.get_kind_display()
        return f"{self.person} may rate {what}"
