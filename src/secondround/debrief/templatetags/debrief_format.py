"""How the debrief writes its probabilities and leniencies for people."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def chance(probability: float | None) -> str:
    """A probability as a whole percentage that never claims certainty it does not have.

    Simulated chances near 0 or 1 are not 0 % or 100 % while intervals overlap, so they
    read "< 1%" and "> 99%".
    """
    if probability is None:
        return "—"
    percent = probability * 100
    if percent > 99 or round(percent) >= 100:
        return "> 99%"
    if percent < 1 or round(percent) <= 0:
        return "< 1%"
    return f"{round(percent)}%"


@register.filter
def leniency(severity: float) -> str:
    """An interviewer's severity in words with its size: no sign for the reader to decode."""
    points = abs(severity)
    if points < 0.05:
        return _("rates like a typical colleague")
    if severity > 0:
        return _("rates %(points).2f points lower than a typical colleague") % {"points": points}
    return _("rates %(points).2f points higher than a typical colleague") % {"points": points}
