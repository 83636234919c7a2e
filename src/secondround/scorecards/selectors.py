"""Reads for scorecards."""

from __future__ import annotations

from django.db.models import QuerySet

from secondround.hiring.models import Position
from secondround.scorecards.models import Rating

ROUND_ONE = 1


def round_one_ratings(position: Position) -> QuerySet[Rating]:
    """Every round-one rating given on the position's applications."""
    return Rating.objects.select_related(
        "scorecard__interviewer", "scorecard__application__candidate", "competency"
    ).filter(scorecard__round=ROUND_ONE, scorecard__application__position=position)
