"""Reads for the survey: when a candidate may answer, and results only in groups of five.

Anonymity: no page shows one response. A group (a position, or an interviewer within it)
shows numbers only from ``MIN_RESPONSES`` responses up; below that it says "fewer than 5"
and no number is computed at all. Free-text comments are shown to admins only, and only for
a group that is shown. A position's results stay hidden from its hiring team until every
finalist's decision is recorded, so they cannot sway a decision; admins see them at once.
Interviewers see no results (the hiring team may be interviewers too: they still only see
groups of five).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from secondround.accounts.models import User
from secondround.debrief.models import Decision
from secondround.hiring.models import Application, Interview, Position, Stage
from secondround.hiring.selectors import (
    get_visible_position,
    managed_positions,
    require_manager,
)
from secondround.loops.selectors import FINALIST_STAGES
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.surveys.models import STATEMENTS, SurveyMoment, SurveyResponse

MIN_RESPONSES = 5
# Stages at which the outcome is known to the candidate.
OUTCOME_STAGES = (Stage.OFFER, Stage.HIRED, Stage.REJECTED, Stage.WITHDRAWN)


# --- the candidate's side ------------------------------------------------------------------


def _rated(application: Application) -> bool:
    return Scorecard.objects.filter(
        application=application, round=2, status=ScorecardStatus.SUBMITTED
    ).exists()


def _interview_ended(application: Application, now: datetime) -> bool:
    """One of their round-two conversations has ended (a cancelled one has no Interview)."""
    started = Interview.objects.filter(application=application, round=2, starts_at__lt=now).only(
        "starts_at", "duration_minutes"
    )
    return any(interview.ends_at <= now for interview in started)


def open_moments(application: Application) -> list[str]:
    """The moments this candidate may answer now: after the loop, then after the outcome;
    neither before a round-two conversation took place (a candidate turned down or
    withdrawn before meeting anyone has nothing to rate)."""
    rated = _rated(application)
    if not (rated or _interview_ended(application, timezone.now())):
        return []
    decided = (
        application.stage in OUTCOME_STAGES
        or Decision.objects.filter(application=application).exists()
    )
    loop_done = decided or application.stage == Stage.DECISION or rated
    moments = [SurveyMoment.AFTER_LOOP.value] if loop_done else []
    return moments + ([SurveyMoment.AFTER_OUTCOME.value] if decided else [])


def current_moment(application: Application) -> str | None:
    """The latest moment open: the one the survey asks about now."""
    moments = open_moments(application)
    return moments[-1] if moments else None


def own_response(application: Application, moment: str) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(application=application, moment=moment).first()


# --- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str
    mean: float
    low: int
    high: int


@dataclass(frozen=True)
class Summary:
    """One group's results; ``bars`` is empty unless the group has enough responses."""

    label: str
    count: int
    bars: tuple[Bar, ...] = ()
    comments: tuple[str, ...] = ()

    @property
    def shown(self) -> bool:
        return self.count >= MIN_RESPONSES


def summarise(label: str, responses: list[SurveyResponse], *, with_comments: bool) -> Summary:
    if len(responses) < MIN_RESPONSES:
        return Summary(label=label, count=len(responses))
    bars = [
        Bar(str(text), round(fmean(getattr(r, key) for r in responses), 1), 1, 5)
        for key, text in STATEMENTS
    ]
    bars.append(
        Bar(
            str(SurveyResponse._meta.get_field("recommend").verbose_name).capitalize(),
            round(fmean(r.recommend for r in responses), 1),
            0,
            10,
        )
    )
    # Sorted, not in the order they came: the order would tell who wrote which.
    comments = sorted(r.comment for r in responses if r.comment.strip()) if with_comments else []
    return Summary(label=label, count=len(responses), bars=tuple(bars), comments=tuple(comments))


def loop_interviewers(application_ids: list[int]) -> dict[int, set[int]]:
    """{interviewer id: applications they interviewed}: scorecards and scheduled interviews."""
    met: dict[int, set[int]] = defaultdict(set)
    for model in (Scorecard, Interview):
        pairs = model.objects.filter(application_id__in=application_ids).values_list(
            "interviewer_id", "application_id"
        )
        for interviewer, application in pairs:
            met[interviewer].add(application)
    return met


def undecided_finalists(position: Position) -> int:
    return (
        position.applications.filter(stage__in=FINALIST_STAGES)
        .exclude(pk__in=Decision.objects.values("application_id"))
        .count()
    )


@dataclass(frozen=True)
class PositionResults:
    position: Position
    moment: str
    hidden_until_decided: int  # finalists still without a decision (hidden when > 0)
    overall: Summary | None = None
    by_interviewer: tuple[Summary, ...] = ()


def position_results(user: User, position_id: int, moment: str) -> PositionResults:
    """Position.DoesNotExist when not visible; PermissionDenied for anyone but the hiring
    team and admins."""
    position = get_visible_position(user, position_id)
    if not user.is_org_admin:
        require_manager(user, position)
        pending = undecided_finalists(position)
        if pending:
            return PositionResults(position, moment, hidden_until_decided=pending)
    responses = list(SurveyResponse.objects.filter(application__position=position, moment=moment))
    admin = user.is_org_admin
    overall = summarise(position.title, responses, with_comments=admin)
    by_application: dict[int, list[SurveyResponse]] = defaultdict(list)
    for response in responses:
        by_application[response.application_id].append(response)
    met = loop_interviewers(list(by_application))
    people = User.objects.filter(pk__in=met).order_by("full_name")
    by_interviewer = tuple(
        summarise(
            person.full_name,
            [r for a in sorted(met[person.pk]) for r in by_application[a]],
            with_comments=False,
        )
        for person in people
    )
    return PositionResults(position, moment, 0, overall, by_interviewer)


@dataclass(frozen=True)
class PositionRow:
    position: Position
    counts: list[int]  # per moment, in SurveyMoment order
    hidden: bool


def positions_overview(user: User) -> list[PositionRow]:
    """Positions whose results this person may open, with response counts per moment."""
    if not user.is_org_admin and not user.is_organisation_member:
        raise PermissionDenied
    positions: QuerySet[Position] = managed_positions(user).annotate(
        after_loop=Count(
            "applications__survey_responses",
            filter=Q(applications__survey_responses__moment=SurveyMoment.AFTER_LOOP),
        ),
        after_outcome=Count(
            "applications__survey_responses",
            filter=Q(applications__survey_responses__moment=SurveyMoment.AFTER_OUTCOME),
        ),
    )
    return [
        PositionRow(
            position=p,
            counts=[p.after_loop, p.after_outcome],  # type: ignore[attr-defined]
            hidden=not user.is_org_admin and undecided_finalists(p) > 0,
        )
        for p in positions.order_by("title")
    ]
