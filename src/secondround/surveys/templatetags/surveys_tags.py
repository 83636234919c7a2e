from __future__ import annotations

from django import template

from secondround.hiring.models import Application
from secondround.surveys.selectors import current_moment

register = template.Library()


@register.simple_tag
def survey_moment_for(application: Application) -> str | None:
    """For the portal's include: the moment the survey asks about now, if it is open."""
    return current_moment(application)
