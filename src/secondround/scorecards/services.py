"""Writes for scorecards: round-one ratings, entered by hand or imported from a file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.hiring.models import Application, Competency, Position
from secondround.hiring.selectors import managed_positions, require_manager
from secondround.scorecards.importer import (
    COLUMNS,
    ImportRejected,
    Problem,
    RatingRow,
    read_rating_rows,
)
from secondround.scorecards.models import Rating, Scorecard, ScorecardStatus

ROUND_ONE = 1
COLUMN_ORDER = {"": -1} | {name: order for order, name in enumerate(COLUMNS)}
RATING_FIELDS = ("rating", "confidence", "notes", "concern")


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    scorecards: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@transaction.atomic
def import_first_round(
    *, actor: User, filename: str, content: bytes, position: Position | None = None
) -> ImportResult:
    """Store round-one ratings from CSV or JSON, all or nothing, idempotently.

    Raises ImportRejected listing every problem (line and column) when any row is wrong;
    nothing is stored then. Importing the same file again changes nothing.
    """
    if position is not None:
        require_manager(actor, position)
    parsed = read_rating_rows(filename, content)
    resolved, problems = _resolve(parsed.rows, parsed.unit, actor=actor, position=position)
    problems = sorted(parsed.problems + problems, key=lambda p: (p.line, COLUMN_ORDER[p.column]))
    if problems:
        raise ImportRejected(problems)
    created = updated = unchanged = 0
    scorecards: dict[tuple[int, int], Scorecard] = {}
    for row, application, interviewer, competency in resolved:
        key = (application.pk, interviewer.pk)
        if key not in scorecards:
            scorecards[key] = _round_one_scorecard(application, interviewer)
        outcome = _upsert_rating(scorecards[key], competency, _rating_values(row))
        created += outcome == "created"
        updated += outcome == "updated"
        unchanged += outcome == "unchanged"
    return ImportResult(created, updated, unchanged, len(scorecards))


def _rating_values(row: RatingRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in RATING_FIELDS}


Resolved = tuple[RatingRow, Application, User, Competency]


def _resolve(
    rows: Sequence[RatingRow], unit: str, *, actor: User, position: Position | None
) -> tuple[list[Resolved], list[Problem]]:
    """Find each row's application, interviewer and competency; never invent any of them."""
    positions = managed_positions(actor)
    users = {u.email: u for u in User.objects.filter(is_active=True)}
    problems: list[Problem] = []
    resolved: list[Resolved] = []
    for row in rows:
        application = _application_for(row, positions, position)
        interviewer = users.get(row.interviewer_email)
        competency = None
        if isinstance(application, str):
            problems.append(Problem(row.line, "candidate_email", application, unit))
        else:
            competency = application.position.competencies.filter(
                name__iexact=row.competency
            ).first()
            if competency is None:
                problems.append(
                    Problem(row.line, "competency",
                            _("“%(c)s” is not a competency of %(p)s")
                            % {"c": row.competency, "p": application.position}, unit)
                )  # fmt: skip
        if interviewer is None:
            problems.append(
                Problem(row.line, "interviewer_email",
                        _("no active user has the email %s") % row.interviewer_email, unit)
            )  # fmt: skip
        if interviewer and competency and not isinstance(application, str):
            resolved.append((row, application, interviewer, competency))
    return resolved, problems


def _application_for(
    row: RatingRow, positions: Any, position: Position | None
) -> Application | str:
    """The row's application, or a sentence saying why it cannot be found."""
    applications = Application.objects.select_related("position", "candidate").filter(
        candidate__email=row.candidate_email, position__in=positions
    )
    if position is not None:
        applications = applications.filter(position=position)
    elif row.position:
        by = {"position_id": int(row.position)} if row.position.isdigit() else {
            "position__title__iexact": row.position
        }  # fmt: skip
        applications = applications.filter(**by)
    found = list(applications[:2])
    if not found:
        return _("no application you manage for %s") % row.candidate_email
    if len(found) > 1:
        return _("%s applied for several positions: add a position column") % row.candidate_email
    return found[0]


def _round_one_scorecard(application: Application, interviewer: User) -> Scorecard:
    scorecard, _created = Scorecard.objects.get_or_create(
        application=application,
        interviewer=interviewer,
        round=ROUND_ONE,
        defaults={"status": ScorecardStatus.SUBMITTED, "submitted_at": timezone.now()},
    )
    return scorecard


def _upsert_rating(scorecard: Scorecard, competency: Competency, values: Mapping[str, Any]) -> str:
    rating = Rating.objects.filter(scorecard=scorecard, competency=competency).first()
    if rating is None:
        rating = Rating(scorecard=scorecard, competency=competency, **values)
        rating.full_clean()
        rating.save()
        return "created"
    if all(getattr(rating, name) == value for name, value in values.items()):
        return "unchanged"
    for name, value in values.items():
        setattr(rating, name, value)
    rating.full_clean()
    rating.save()
    return "updated"


@transaction.atomic
def save_round_one_scorecard(
    *,
    actor: User,
    application: Application,
    interviewer: User,
    ratings: Mapping[int, Mapping[str, Any]],
) -> Scorecard:
    """Enter one interviewer's round-one ratings by hand: {competency id: values}."""
    require_manager(actor, application.position)
    competencies = {c.pk: c for c in application.position.competencies.all()}
    unknown = [pk for pk in ratings if pk not in competencies]
    if unknown:
        raise ValidationError({"competency": _("Unknown competency for this position.")})
    scorecard = _round_one_scorecard(application, interviewer)
    for pk, values in ratings.items():
        _upsert_rating(scorecard, competencies[pk], {k: values.get(k) for k in RATING_FIELDS})
    return scorecard
