from __future__ import annotations

from django import template

from secondround.feedback.models import LetterVersion
from secondround.feedback.selectors import approved_letter
from secondround.hiring.models import Application

register = template.Library()


@register.simple_tag
def approved_letter_for(application: Application) -> LetterVersion | None:
    """For the portal's include: the letter the candidate may read, if one is approved."""
    return approved_letter(application)
