"""Reads for scorecards."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from secondround.accounts.models import User
from secondround.hiring.models import Application, Position, Stage, StageMove
from secondround.scorecards.models import Rating, Scorecard, ScorecardStatus


def round_one_ratings(position: Position) -> QuerySet[Rating]:
    """Every round-one rating given on the position's applications."""
    return Rating.objects.select_related(
        "scorecard__interviewer", "scorecard__application__candidate", "competency"
    ).filter(scorecard__round=Scorecard.Round.ONE, scorecard__application__position=position)


def submitted_ratings() -> QuerySet[Rating]:
    """Every rating the organisation can learn from: submitted scorecards, every round."""
    return Rating.objects.filter(scorecard__status=ScorecardStatus.SUBMITTED, rating__isnull=False)


def round_two_visible_ids(user: User, applications: Iterable[Application]) -> set[int]:
    """The independence rule for many finalists at once: the ids whose round-two ratings
    and recommendations the user may see. Three queries, however many finalists.

    Until an interviewer has submitted their own round-two scorecard for a finalist, they see
    no other round-two rating or recommendation for that finalist. Interviewers always follow
    the rule; hiring managers, recruiters and admins follow it when they opted in.
    """
    from secondround.hiring.selectors import managed_positions, visible_positions
    from secondround.loops.models import Seat

    applications = list(applications)
    if not applications:
        return set()
    position_ids = {a.position_id for a in applications}
    # Someone dropped from a position's panel sees nothing of it any more.
    visible = set(
        visible_positions(user).filter(pk__in=position_ids).order_by().values_list("pk", flat=True)
    )
    managed = set(
        managed_positions(user).filter(pk__in=position_ids).order_by().values_list("pk", flat=True)
    )
    # Positions where the user holds a seat that rates competencies in round two.
    # Standing in for a colleague's seat (a booked replacement) binds the same way.
    seated = set(
        Seat.objects.filter(session__plan__position__in=position_ids)
        .filter(Q(interviewer=user) | Q(stand_ins__interviewer=user))
        .exclude(session__competency_kinds=[])
        .values_list("session__plan__position_id", flat=True)
    )
    submitted = set(
        Scorecard.objects.filter(
            application__in=[a.pk for a in applications], interviewer=user, round=Scorecard.Round.TWO,
            status=ScorecardStatus.SUBMITTED,
        ).values_list("application_id", flat=True)
    )  # fmt: skip

    def may_see(application: Application) -> bool:
        if application.position_id not in visible:
            return False
        manages = application.position_id in managed
        bound = not manages or user.follows_independence
        unsubmitted_seat = application.position_id in seated and application.pk not in submitted
        if bound and unsubmitted_seat:
            return False
        # Other panel members see round-two ratings only once they have submitted their own.
        return manages or application.pk in submitted

    return {a.pk for a in applications if may_see(a)}


def can_see_round_two_ratings(user: User, application: Application) -> bool:
    """The independence rule for one finalist, on every page, export, API answer and
    notification (see `round_two_visible_ids`)."""
    return application.pk in round_two_visible_ids(user, [application])


def round_two_scorecards_visible_to(user: User, application: Application) -> QuerySet[Scorecard]:
    """Other people's submitted round-two scorecards, or none under the independence rule."""
    submitted = Scorecard.objects.filter(
        application=application, round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    ).select_related("interviewer", "session")
    if not can_see_round_two_ratings(user, application):
        return submitted.none()
    return submitted.prefetch_related("ratings__competency", "resolutions__item")


# Moves made from these stages are the decision trail: they follow from round-two ratings.
DECISION_TRAIL_FROM = frozenset(Stage.past_round_one())


@dataclass(frozen=True)
class VisibleHistory:
    """An application's stage and history as one viewer may see them.

    `stage` is None when it would reveal a decision the viewer may not see yet;
    `hidden_moves` counts the moves left out for the same reason.
    """

    stage: str | None
    moves: tuple[StageMove, ...]
    hidden_moves: int

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label) if self.stage else ""


def history_visible_to(user: User, application: Application) -> VisibleHistory:
    """The stage history under the independence rule (see `histories_visible_to`)."""
    return histories_visible_to(user, [application])[application.pk]


def histories_visible_to(
    user: User, applications: Iterable[Application]
) -> dict[int, VisibleHistory]:
    """Each application's stage history under the independence rule, in a fixed number of
    queries.

    A decision, its reasons and any move out of round two come from others' ratings: a viewer
    bound by the rule sees the history only up to the second round, and the current stage only
    while it still is the second round.
    """
    applications = list(applications)
    moves: dict[int, list[StageMove]] = {a.pk: [] for a in applications}
    for move in StageMove.objects.filter(application__in=list(moves)).select_related("moved_by"):
        moves[move.application_id].append(move)
    visible = round_two_visible_ids(user, applications)
    return {
        a.pk: _visible_history(a, tuple(moves[a.pk]), sees_all=a.pk in visible)
        for a in applications
    }


def _visible_history(
    application: Application, moves: tuple[StageMove, ...], *, sees_all: bool
) -> VisibleHistory:
    if sees_all:
        return VisibleHistory(stage=application.stage, moves=moves, hidden_moves=0)
    shown = tuple(move for move in moves if move.from_stage not in DECISION_TRAIL_FROM)
    hidden = len(moves) - len(shown)
    stage_reveals_nothing = hidden == 0 or application.stage == Stage.SECOND_ROUND
    return VisibleHistory(
        stage=application.stage if stage_reveals_nothing else None,
        moves=shown,
        hidden_moves=hidden,
    )


def own_round_two_scorecard(user: User, application: Application) -> Scorecard | None:
    """The user's round-two scorecard for this finalist, if they started one."""
    return Scorecard.objects.filter(
        application=application, interviewer=user, round=Scorecard.Round.TWO
    ).first()


def get_own_scorecard(user: User, scorecard_id: int) -> Scorecard:
    """A scorecard its interviewer is filling in (DoesNotExist for anyone else).

    The position's visibility rule applies too: an interviewer dropped from the panel no
    longer opens it (its page lists colleagues' round-two ratings).
    """
    from secondround.hiring.selectors import visible_positions

    return Scorecard.objects.select_related(
        "application__candidate", "application__position", "session"
    ).get(
        pk=scorecard_id,
        interviewer=user,
        application__position__in=visible_positions(user).values("pk"),
    )
