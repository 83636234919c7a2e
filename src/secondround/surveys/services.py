"""Writes for the survey: one candidate's answers for one moment, replacing earlier ones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.hiring.models import Application
from secondround.surveys.models import COMMENT_MAX, STATEMENT_KEYS, SurveyMoment, SurveyResponse
from secondround.surveys.selectors import open_moments


def _errors(moment: str, open_now: list[str], answers: Mapping[str, object],
            recommend: object, comment: str) -> dict[str, str]:  # fmt: skip
    errors: dict[str, str] = {}
    if moment not in SurveyMoment.values:
        errors["moment"] = _("Not a moment of the survey.")
    elif moment not in open_now:
        errors["moment"] = _("This part of the survey is not open yet.")
    for key in STATEMENT_KEYS:
        value = answers.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            errors[key] = _("Choose an answer from 1 to 5.")
    if not isinstance(recommend, int) or isinstance(recommend, bool) or not 0 <= recommend <= 10:
        errors["recommend"] = _("Choose a number from 0 to 10.")
    if len(comment) > COMMENT_MAX:
        errors["comment"] = _("At most %(max)d characters (this has %(n)d).") % {
            "max": COMMENT_MAX, "n": len(comment),
        }  # fmt: skip
    return errors


@transaction.atomic
def submit_survey(
    *,
    application: Application,
    moment: str,
    answers: Mapping[str, object],
    recommend: object,
    comment: str = "",
) -> SurveyResponse:
    """Store the candidate's answers for this moment; a second submission replaces the first.

    Every answer is checked before anything is written, so a refused submission leaves the
    earlier answers as they were.
    """
    errors = _errors(moment, open_moments(application), answers, recommend, comment)
    if errors:
        raise ValidationError(errors)
    fields = {key: answers[key] for key in STATEMENT_KEYS}
    score = cast(int, recommend)  # checked in _errors
    response = (
        SurveyResponse.objects.select_for_update()
        .filter(application=application, moment=moment)
        .first()
    )
    if response is None:
        return SurveyResponse.objects.create(
            application=application, moment=moment, recommend=score,
            comment=comment.strip(), **fields,
        )  # fmt: skip
    for key, value in fields.items():
        setattr(response, key, value)
    response.recommend = score
    response.comment = comment.strip()
    response.submitted_at = timezone.now()
    response.times_submitted += 1
    response.save()
    return response
