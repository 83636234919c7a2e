"""Reads for round-two planning: the gap matrix, the coverage matrix and interview kits."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from secondround.accounts.models import Role, User
from secondround.hiring.models import Application, Competency, Position, Stage
from secondround.hiring.selectors import (
    can_manage_position,
    members_not_applied_for,
    visible_positions,
)
from secondround.loops.models import (
    ClarificationItem,
    ItemStatus,
    LoopPlan,
    LoopSession,
    Seat,
    SeatStandIn,
    SessionQuestion,
)
from secondround.loops.scorecard_facts import Written, scorecard_facts


@dataclass(frozen=True)
class GapCell:
    n_ratings: int
    ratings: tuple[int, ...]
    item: ClarificationItem | None

    @property
    def level(self) -> str:
        """How much attention the cell needs, for colour: none, low, medium, high."""
        if self.item is None or self.item.status == ItemStatus.DISMISSED:
            return "none"
        return (
            "high"
            if self.item.priority >= 0.66
            else "medium"
            if self.item.priority >= 0.33
            else "low"
        )


@dataclass(frozen=True)
class GapMatrix:
    competencies: list[Competency]
    rows: list[tuple[Application, list[GapCell]]]


def gap_matrix(position: Position, applications: list[Application]) -> GapMatrix:
    competencies = list(position.competencies.all())
    ratings: dict[tuple[int, int], list[int]] = defaultdict(list)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for r in scorecard_facts().round_one_ratings(position):
        key = (r.application_id, r.competency_id)
        counts[key] += r.rating is not None
        if r.rating is not None:
            ratings[key].append(r.rating)
    items = {
        (i.application_id, i.competency_id): i
        for i in ClarificationItem.objects.filter(application__in=applications)
    }
    rows = [
        (
            application,
            [
                GapCell(
                    n_ratings=counts[(application.pk, c.pk)],
                    ratings=tuple(sorted(ratings[(application.pk, c.pk)])),
                    item=items.get((application.pk, c.pk)),
                )
                for c in competencies
            ],
        )
        for application in applications
    ]
    return GapMatrix(competencies=competencies, rows=rows)


def prefetch_clarification_items(applications: list[Application]) -> list[Application]:
    """Load every finalist's clarification items, with competency and session, in one query
    (the round-two page lists them per finalist)."""
    prefetch_related_objects(
        applications,
        Prefetch(
            "clarification_items",
            queryset=ClarificationItem.objects.select_related("competency", "session"),
        ),
    )
    return applications


def panel(position: Position) -> QuerySet[User]:
    """Who can sit in the position's loop: its interview panel and its hiring manager, less
    anyone who applied for it (an internal candidate never assesses their rivals)."""
    applicants = Application.objects.filter(position=position).values("candidate__email")
    return (
        User.objects.filter(
            Q(panel_positions=position) | Q(pk=position.hiring_manager_id), is_active=True
        )
        .exclude(role=Role.JOB_SEEKER)  # outside the organisation, even on an old panel
        .alias(email_lower=Lower("email"))
        .exclude(email_lower__in=applicants)  # candidates' emails are stored lower-case
        .select_related("department")
        .distinct()
    )


def hosts(position: Position) -> QuerySet[User]:
    """The position's recruiters off its panel: they host the sessions that rate nothing (the
    welcome, the wrap-up), as the planner seats them, and sit no other seat."""
    return (
        members_not_applied_for(position)
        .filter(recruiting_positions=position)
        .exclude(pk__in=panel(position).values("pk"))
        .select_related("department")
    )


def seat_choices(position: Position, seat: Seat) -> QuerySet[User]:
    """Who may take a seat: the panel, and for a session that rates nothing also its hosts
    (so a recruiter swapped out of the welcome can be swapped back in)."""
    if seat.session.assesses:
        return panel(position)
    allowed = Q(pk__in=panel(position).values("pk")) | Q(pk__in=hosts(position).values("pk"))
    return User.objects.filter(allowed).select_related("department")


def assessing_seats(position: Position) -> QuerySet[Seat]:
    """The loop's seats that rate competencies (not the welcome, questions or wrap-up hosts)."""
    return Seat.objects.filter(session__plan__position=position).exclude(
        session__competency_kinds=[]
    )


def plan_for(position: Position) -> LoopPlan | None:
    return (
        LoopPlan.objects.filter(position=position)
        .prefetch_related(
            "sessions__seats__interviewer__department", "sessions__seats__competencies"
        )
        .first()
    )


def plan_with_questions(position: Position) -> LoopPlan | None:
    """plan_for, with each session's questions (their text and competency) and scenario,
    which the round-two page lists: one query each instead of three per session."""
    plan = plan_for(position)
    if plan is not None:
        questions = SessionQuestion.objects.select_related("question", "competency")
        prefetch_related_objects(
            [plan], Prefetch("sessions__questions", questions), "sessions__scenario"
        )
    return plan


def scorecards_by_seat(plan: LoopPlan) -> dict[tuple[int, int], Written]:
    """(session id, interviewer id) -> the round-two scorecards written there."""
    return scorecard_facts().written_by_seat(plan)


def written_for_seat(seat: Seat) -> Written | None:
    return scorecards_by_seat(seat.session.plan).get((seat.session_id, seat.interviewer_id))


def mark_written_seats(plan: LoopPlan) -> None:
    """Give each prefetched seat of the plan ``written``: its round-two scorecards, or None.

    A seat with scorecards cannot be swapped or moved; the page says so next to it.
    """
    written = scorecards_by_seat(plan)
    for session in plan.sessions.all():
        for seat in session.seats.all():
            seat.written = written.get((session.pk, seat.interviewer_id))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class CoverageRow:
    competency: Competency
    cells: list[list[str]]  # per session: the interviewers rating this competency there
    raters: int
    departments: int


def coverage_matrix(plan: LoopPlan) -> list[CoverageRow]:
    sessions = [s for s in plan.sessions.all() if s.assesses]
    rows = []
    for competency in plan.position.competencies.all():
        cells: list[list[str]] = []
        people: dict[int, str] = {}
        for session in sessions:
            names = []
            for seat in session.seats.all():
                if any(c.pk == competency.pk for c in seat.competencies.all()):
                    names.append(str(seat.interviewer))
                    people[seat.interviewer.pk] = (
                        seat.interviewer.department.name if seat.interviewer.department else ""
                    )
            cells.append(names)
        rows.append(
            CoverageRow(
                competency, cells, raters=len(people), departments=len(set(people.values()))
            )
        )
    return rows


def visible_seats(user: User, position: Position) -> QuerySet[Seat]:
    """The hiring team sees every seat of the loop; an interviewer only their own."""
    seats = Seat.objects.filter(session__plan__position=position).select_related(
        "session", "interviewer"
    )
    return seats if can_manage_position(user, position) else seats.filter(interviewer=user)


@dataclass(frozen=True)
class Kit:
    """Everything one interviewer needs for one session with one finalist."""

    seat: Seat
    session: LoopSession
    application: Application
    position: Position
    competencies: list[Competency]
    questions: list[SessionQuestion]  # with their Question
    items: list[ClarificationItem]
    sessions: list[LoopSession]
    others: list[Seat] = field(default_factory=list)
    # The reader sits in this seat and the session assesses: they write a scorecard from it.
    writes_scorecard: bool = False


# The one definition of a finalist: the loop plans for them and only they get kits and scorecards.
# The name other apps import; the group itself is defined on Stage.
FINALIST_STAGES = Stage.finalists()


def finalist_applications(position: Position) -> QuerySet[Application]:
    """The position's applications in round two or awaiting the decision: the loop's finalists."""
    return position.applications.select_related("candidate").filter(stage__in=FINALIST_STAGES)


def seat_holder_id(seat: Seat, application: Application) -> int:
    """Who sits this seat for this finalist: a booked stand-in, else the seat's interviewer."""
    stand_in = SeatStandIn.objects.filter(seat=seat, application=application).first()
    return stand_in.interviewer_id if stand_in is not None else seat.interviewer_id


def holds_seat(user: User, seat: Seat, application: Application) -> bool:
    """The one rule for whose kit and scorecard a seat is, per finalist."""
    return seat_holder_id(seat, application) == user.pk


def assessing_holders(application: Application) -> set[int]:
    """The people who rate this finalist in round two: the assessing seats' holders."""
    return assessing_holders_of(application.position, [application])[application.pk]


def assessing_holders_of(
    position: Position, applications: list[Application]
) -> dict[int, set[int]]:
    """`assessing_holders` for many finalists of one position, in two queries whatever their
    number (the debrief lists every finalist's progress)."""
    seats = dict(assessing_seats(position).values_list("pk", "interviewer_id"))
    stand_ins: dict[int, dict[int, int]] = {}
    for application_id, seat_id, person in SeatStandIn.objects.filter(
        application__in=applications, seat__in=list(seats)
    ).values_list("application_id", "seat_id", "interviewer_id"):
        stand_ins.setdefault(application_id, {})[seat_id] = person
    return {
        a.pk: {stand_ins.get(a.pk, {}).get(seat, person) for seat, person in seats.items()}
        for a in applications
    }


def own_seat_and_finalist(
    user: User, seat_id: int, application_id: int
) -> tuple[Seat, Application]:
    """The seat the user sits for this finalist (their own, or one they stand in for), for
    writing a round-two scorecard.

    DoesNotExist when someone else sits the seat for the finalist, the user no longer sees
    the position (dropped from the panel) or the application is not a finalist.
    """
    seat = Seat.objects.select_related("session__plan__position").get(
        pk=seat_id, session__plan__position__in=visible_positions(user).values("pk")
    )
    application = finalist_applications(seat.session.plan.position).get(pk=application_id)
    if not holds_seat(user, seat, application):
        raise Seat.DoesNotExist("Someone else sits this seat for this finalist.")
    return seat, application


def my_kit_rows(user: User) -> list[tuple[Seat, list[Application]]]:
    """The seats the user sits in loops of positions they still see, each with the finalists
    they sit it for: their own seats without the finalists someone stands in for, and the
    seats they stand in for, with those finalists."""
    visible = visible_positions(user).values("pk")
    seats = (
        Seat.objects.filter(session__plan__position__in=visible)
        .filter(Q(interviewer=user) | Q(stand_ins__interviewer=user))
        .distinct()
        .select_related("session__plan__position")
        .order_by("session__plan__position__title", "session__order")
    )
    rows = []
    for seat in seats:
        finalists = finalist_applications(seat.session.plan.position).order_by(
            "candidate__full_name"
        )
        stand_ins = dict(seat.stand_ins.values_list("application_id", "interviewer_id"))
        sits = [a for a in finalists if stand_ins.get(a.pk, seat.interviewer_id) == user.pk]
        if sits:
            rows.append((seat, sits))
    return rows


#: Out of round two by a decision (which one stays hidden: the independence rule).
DECIDED_STAGES = (Stage.OFFER, Stage.HIRED, Stage.REJECTED)


@dataclass(frozen=True)
class LeftDraft:
    """The user's unsubmitted scorecard for someone who has left round two (its kit closed
    with round two; the scorecard itself stays theirs to finish)."""

    scorecard_id: int
    application: Application
    session: LoopSession
    state: str


def drafts_left_behind(user: User) -> list[LeftDraft]:
    """The user's round-two drafts for applications no longer in round two, on positions
    they still see: "My kits" lists only finalists, so these would otherwise vanish."""
    drafts = scorecard_facts().open_drafts(user.pk)
    applications = (
        Application.objects.filter(
            pk__in={d.application_id for d in drafts},
            position__in=visible_positions(user).values("pk"),
        )
        .exclude(stage__in=FINALIST_STAGES)
        .select_related("candidate", "position")
        .in_bulk()
    )
    sessions = LoopSession.objects.in_bulk({d.session_id for d in drafts})
    left = [
        LeftDraft(d.scorecard_id, applications[d.application_id], sessions[d.session_id],
                  _left_state(applications[d.application_id]))
        for d in drafts
        if d.application_id in applications and d.session_id in sessions
    ]  # fmt: skip
    return sorted(left, key=lambda d: (d.application.position.title, d.session.order))


def _left_state(application: Application) -> str:
    if application.stage in DECIDED_STAGES:
        return str(_("Decided"))
    return str(application.get_stage_display())


def kit(user: User, seat_id: int, application_id: int) -> Kit:
    """The kit, or DoesNotExist when the user may not see this seat or finalist."""
    position_ids = visible_positions(user).values("pk")
    seat = Seat.objects.select_related("session__plan__position", "interviewer").get(
        pk=seat_id, session__plan__position__in=position_ids
    )
    position = seat.session.plan.position
    application = finalist_applications(position).get(pk=application_id)
    sits = holds_seat(user, seat, application)
    if not sits and not can_manage_position(user, position):
        # The kit follows whoever sits the seat for this finalist; others on the panel do
        # not read it (a replaced interviewer included).
        raise Seat.DoesNotExist("Someone else sits this seat for this finalist.")
    session = seat.session
    return Kit(
        seat=seat,
        session=session,
        application=application,
        position=position,
        competencies=list(seat.competencies.all()),
        questions=list(session.questions.select_related("question", "competency")),
        items=list(
            ClarificationItem.objects.filter(application=application, session=session)
            .exclude(status=ItemStatus.DISMISSED)
            .select_related("competency")
        ),
        sessions=list(session.plan.sessions.all()),
        others=list(session.seats.exclude(pk=seat.pk).select_related("interviewer")),
        writes_scorecard=sits and session.assesses,
    )
