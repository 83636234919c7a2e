"""The candidate experience survey: one response per application and moment.

Asked on the candidate's private link after the loop and again after the outcome. A second
submission for the same application and moment replaces the first (the unique constraint
makes doubling impossible). A response belongs to its application, so erasure and export
reach it; nobody on the hiring side ever sees one response on its own (see selectors).
"""

from __future__ import annotations

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from secondround.hiring.models import Application

COMMENT_MAX = 2_000
AGREE_SCALE = [MinValueValidator(1), MaxValueValidator(5)]
RECOMMEND_SCALE = [MinValueValidator(0), MaxValueValidator(10)]


class SurveyMoment(models.TextChoices):
    AFTER_LOOP = "after_loop", _("After the interviews")
    AFTER_OUTCOME = "after_outcome", _("After the outcome")


# The seven statements answered from 1 (strongly disagree) to 5 (strongly agree), in order.
STATEMENTS: list[tuple[str, StrOrPromise]] = [
    ("started_on_time", _("The interviews started on time.")),
    ("role_explained", _("The role was clearly explained to me.")),
    ("interviewers_prepared", _("The interviewers were prepared.")),
    ("treated_with_respect", _("I was treated with respect.")),
    ("fair_chance", _("I had a fair chance to show my strengths.")),
    ("clear_next_steps", _("The next steps were clear.")),
    ("company_impression", _("I have a good impression of the company.")),
]
STATEMENT_KEYS = [key for key, _label in STATEMENTS]


def _agree(label: StrOrPromise) -> models.PositiveSmallIntegerField[int, int]:
    return models.PositiveSmallIntegerField(label, validators=AGREE_SCALE)


class SurveyResponse(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="survey_responses"
    )
    moment = models.CharField(_("when"), max_length=16, choices=SurveyMoment.choices)
    started_on_time = _agree(_("started on time"))
    role_explained = _agree(_("role clearly explained"))
    interviewers_prepared = _agree(_("interviewers prepared"))
    treated_with_respect = _agree(_("treated with respect"))
    fair_chance = _agree(_("a fair chance to show strengths"))
    clear_next_steps = _agree(_("clear next steps"))
    company_impression = _agree(_("impression of the company"))
    recommend = models.PositiveSmallIntegerField(
        _("likelihood to recommend"), validators=RECOMMEND_SCALE
    )
    comment = models.TextField(
        _("anything else"), blank=True, validators=[MaxLengthValidator(COMMENT_MAX)]
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    times_submitted = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "moment"], name="one_survey_response_per_moment"
            ),
        ]

    def __str__(self) -> str:
        return f"Survey response #{self.pk} ({self.moment})"
