"""Working out a loop proposal before anything is written: sessions, seats, and what changes.

``draft_loop`` turns the position, its panel, their qualifications, the budget and the loop
as it stands into a :class:`Draft`: the sessions (fitted to the budget), every seat, the
coverage engine's checks, and the difference from the current loop. Seats whose interviewer
has a round-two scorecard there (draft or submitted) are kept exactly as they are, and so
are their sessions' titles, lengths and questions: the interviews in them happened. The
services show a draft as a confirmation, or write it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.accounts.selectors import organisation_members
from secondround.engines import coverage
from secondround.hiring.models import Competency, CompetencyKind, Position, Stage
from secondround.hiring.qualifications import qualified_competencies
from secondround.loops.budget import Fit, Timing, fit_to_budget
from secondround.loops.defaults import STANDARD_LOOP, SessionTemplate
from secondround.loops.models import LoopPlan, LoopSession, PlanStatus, Seat, SessionKind
from secondround.loops.scorecard_facts import Written, scorecard_facts
from secondround.loops.selectors import panel, scorecards_by_seat
from secondround.questions.models import Scenario
from secondround.questions.selectors import scenarios_for

NO_DEPARTMENT = "No department"
HOSTED_SESSIONS = (SessionKind.WELCOME, SessionKind.CANDIDATE_QUESTIONS, SessionKind.WRAP_UP)


# --- names people read ------------------------------------------------------------------------


def people_names(users: list[User]) -> dict[int, str]:
    """How the engine names each person: their name, with more only where two share it."""
    counts: dict[str, int] = defaultdict(int)
    for user in users:
        counts[user.full_name] += 1
    return {
        u.pk: u.full_name if counts[u.full_name] == 1 else f"{u.full_name} ({u.email})"
        for u in users
    }


def kind_label(kind: str) -> str:
    """A competency kind as people read it in messages ("problem-solving", not "problem_solving")."""
    return str(dict(CompetencyKind.choices).get(kind, kind)).lower()


def session_key(order: int, title: str) -> str:
    """How the engine names a session: its place and title, which people read in messages."""
    return f"{order + 1}. {title}"


# --- what already happened ----------------------------------------------------------------------


# --- the draft ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionDraft:
    template: SessionTemplate
    order: int
    title: str
    purpose: str
    duration_minutes: int
    scenario: Scenario | None
    existing: LoopSession | None
    held: bool  # interviews were written up in it: its title, length and questions stay

    @property
    def key(self) -> str:
        return session_key(self.order, self.title)

    @property
    def kind(self) -> str:
        return self.template.kind

    @property
    def assesses(self) -> bool:
        return bool(self.template.competency_kinds)


@dataclass(frozen=True)
class SeatDraft:
    session: SessionDraft
    interviewer: User
    competencies: tuple[Competency, ...]
    existing: Seat | None
    written: Written | None  # scorecards already in this seat: it is kept as it is


@dataclass(frozen=True)
class SeatChange:
    """One line of what proposing again changes, for the confirmation."""

    session: str
    interviewer: str
    before: tuple[str, ...] | None  # focus before; None = had no seat there
    after: tuple[str, ...] | None  # focus after; None = loses the seat

    @property
    def what(self) -> str:
        if self.before is None:
            return "added"
        if self.after is None:
            return "removed"
        return "refocused"


@dataclass(frozen=True)
class KeptSeat:
    session: str
    interviewer: str
    focus: tuple[str, ...]
    written: Written


@dataclass(frozen=True)
class Draft:
    position: Position
    plan: LoopPlan | None
    budget: int
    sessions: tuple[SessionDraft, ...]
    seats: tuple[SeatDraft, ...]
    proposal: coverage.CoveragePlan
    budget_problem: str
    changes: tuple[SeatChange, ...]
    kept: tuple[KeptSeat, ...]
    durations: tuple[tuple[str, int, int], ...]  # (session, minutes before, minutes after)

    @property
    def was_accepted(self) -> bool:
        return self.plan is not None and self.plan.status == PlanStatus.ACCEPTED

    @property
    def total_minutes(self) -> int:
        return sum(s.duration_minutes for s in self.sessions)

    @property
    def budget_before(self) -> int | None:
        """The budget the loop had, when the new one differs from it."""
        if self.plan is None or self.plan.time_budget_minutes == self.budget:
            return None
        return self.plan.time_budget_minutes

    @property
    def changes_anything(self) -> bool:
        return bool(self.changes or self.durations or self.budget_before is not None)


def draft_loop(position: Position, plan: LoopPlan | None, budget: int) -> Draft:
    written = scorecards_by_seat(plan) if plan else {}
    current = list(
        Seat.objects.filter(session__plan=plan)
        .select_related("session", "interviewer__department")
        .prefetch_related("competencies")
    ) if plan else []  # fmt: skip
    held_sessions = {session_id for session_id, _person in written}
    sessions, fit = _draft_sessions(position, plan, budget, held_sessions)
    kept = [s for s in current if (s.session_id, s.interviewer_id) in written]
    people = _people(position, [s.interviewer for s in kept])
    names = people_names(people)
    by_session_id = {d.existing.pk: d for d in sessions if d.existing is not None}
    competencies = list(position.competencies.all())
    proposal = coverage.plan_coverage(
        sessions=[_engine_session(d, position, names, kept) for d in sessions],
        interviewers=[_engine_interviewer(u, names) for u in people],
        competencies=[_engine_competency(c) for c in competencies],
        rules=coverage.CoverageRules(time_budget_minutes=budget),
        round_one_raters=round_one_raters(position, names),
        qualified=qualified_names(position, people, names),
        keep=[
            coverage.Assignment(
                by_session_id[s.session_id].key,
                names[s.interviewer_id],
                tuple(c.name for c in s.competencies.all()),
            )
            for s in kept
            if by_session_id[s.session_id].assesses
        ],
    )
    seats = _seat_drafts(position, sessions, proposal, people, names, current, written)
    return Draft(
        position=position,
        plan=plan,
        budget=budget,
        sessions=tuple(sessions),
        seats=tuple(seats),
        proposal=proposal,
        budget_problem=_budget_problem(fit, budget, held_sessions),
        changes=tuple(_changes(current, seats, written)),
        kept=tuple(
            KeptSeat(
                s.session.title,
                str(s.interviewer),
                _focus(s),
                written[s.session_id, s.interviewer_id],
            )
            for s in kept
        ),
        durations=tuple(
            (d.existing.title, d.existing.duration_minutes, d.duration_minutes)
            for d in sessions
            if d.existing is not None and d.existing.duration_minutes != d.duration_minutes
        ),
    )


def _draft_sessions(
    position: Position, plan: LoopPlan | None, budget: int, held: set[int]
) -> tuple[list[SessionDraft], Fit]:
    existing = {s.kind: s for s in plan.sessions.all()} if plan else {}
    scenario = scenarios_for(position.role_family).first()
    usual: list[tuple[SessionTemplate, str, str, int, int, Scenario | None]] = []
    for template in STANDARD_LOOP:
        title, length, shortest = (
            str(template.title),
            template.duration_minutes,
            template.shortest_minutes,
        )
        chosen = None
        if template.kind == SessionKind.SCENARIO and scenario:
            chosen = scenario
            title = _("Scenario: %s") % scenario.title
            length = scenario.timebox_minutes + 15  # brief and debrief
            shortest = scenario.timebox_minutes + 5
        usual.append((template, title, str(template.purpose), length, shortest, chosen))
    timings = []
    for template, title, _purpose, length, shortest, _scenario in usual:
        before = existing.get(template.kind)
        if before is not None and before.pk in held:
            timings.append(
                Timing(before.title, before.duration_minutes, before.duration_minutes, fixed=True)
            )
        else:
            timings.append(Timing(title, length, shortest))
    fit = fit_to_budget(timings, budget)
    drafts = []
    for order, ((template, title, purpose, _length, _shortest, chosen), minutes) in enumerate(
        zip(usual, fit.durations, strict=True)
    ):
        before = existing.get(template.kind)
        was_held = before is not None and before.pk in held
        drafts.append(
            SessionDraft(
                template=template,
                order=order,
                title=before.title if was_held and before else title,
                purpose=before.purpose if was_held and before else purpose,
                duration_minutes=minutes,
                scenario=before.scenario if was_held and before else chosen,
                existing=before,
                held=was_held,
            )
        )
    return drafts, fit


def _budget_problem(fit: Fit, budget: int, held: set[int]) -> str:
    if fit.fits:
        return ""
    why = _(
        "The loop cannot fit in %(budget)d minutes: even with every session at its shortest "
        "it takes %(shortest)d minutes."
    ) % {"budget": budget, "shortest": fit.shortest_total}
    if held:
        why += " " + _("Sessions already held keep their length.")
    return (
        why
        + " "
        + _("Raise the budget to at least %d minutes, or shorten sessions by hand.")
        % (fit.shortest_total)
    )


def _people(position: Position, kept: list[User]) -> list[User]:
    """The panel, plus anyone kept for their scorecards who has left it since."""
    people = list(panel(position))
    known = {u.pk for u in people}
    return people + [u for u in {u.pk: u for u in kept}.values() if u.pk not in known]


def _engine_session(
    draft: SessionDraft, position: Position, names: dict[int, str], kept: list[Seat]
) -> coverage.Session:
    manager = position.hiring_manager
    manager_kept_elsewhere = any(
        s.interviewer_id == manager.pk and s.session.kind != SessionKind.MANAGER for s in kept
    )
    fixed = (
        (names[manager.pk],)
        if draft.kind == SessionKind.MANAGER and manager.pk in names and not manager_kept_elsewhere
        else ()
    )
    return coverage.Session(
        key=draft.key,
        purpose=draft.purpose,
        duration_minutes=draft.duration_minutes,
        kinds=frozenset(kind_label(k) for k in draft.template.competency_kinds),
        interviewers_needed=max(draft.template.interviewers_needed, len(fixed)),
        fixed_interviewers=fixed,
    )


def engine_session_for(
    session: LoopSession, position: Position, names: dict[int, str]
) -> coverage.Session:
    """The engine's view of a stored session, for rechecking an edited loop."""
    template = next(t for t in STANDARD_LOOP if t.kind == session.kind)
    manager = position.hiring_manager
    fixed = (
        (names[manager.pk],) if session.kind == SessionKind.MANAGER and manager.pk in names else ()
    )
    return coverage.Session(
        key=session_key(session.order, session.title),
        purpose=session.purpose,
        duration_minutes=session.duration_minutes,
        kinds=frozenset(kind_label(k) for k in session.competency_kinds),
        interviewers_needed=max(template.interviewers_needed, len(fixed)),
        fixed_interviewers=fixed,
    )


def _engine_interviewer(user: User, names: dict[int, str]) -> coverage.Interviewer:
    # People without a department count as one department together: never as extra ones.
    department = user.department.name if user.department else NO_DEPARTMENT
    return coverage.Interviewer(id=names[user.pk], department=department)


def engine_interviewers(users: list[User], names: dict[int, str]) -> list[coverage.Interviewer]:
    return [_engine_interviewer(u, names) for u in users]


def _engine_competency(c: Competency) -> coverage.Competency:
    return coverage.Competency(
        name=c.name, kind=kind_label(c.kind), must_have=c.must_have, weight=c.weight
    )


def engine_competencies(position: Position) -> list[coverage.Competency]:
    return [_engine_competency(c) for c in position.competencies.all()]


def qualified_names(
    position: Position, people: list[User], names: dict[int, str]
) -> dict[str, frozenset[str]]:
    """Engine name -> names of the competencies they are qualified to rate."""
    by_id = {c.pk: c.name for c in position.competencies.all()}
    allowed = qualified_competencies(position, people)
    return {names[u.pk]: frozenset(by_id[c] for c in allowed[u.pk]) for u in people}


def round_one_raters(position: Position, names: dict[int, str]) -> dict[str, frozenset[str]]:
    finalist_ids = set(
        position.applications.filter(stage__in=Stage.finalists()).values_list("pk", flat=True)
    )
    rated: dict[str, set[str]] = defaultdict(set)
    for rating in scorecard_facts().round_one_ratings(position):
        interviewer = rating.interviewer_id
        if rating.rating is None or interviewer not in names:
            continue
        if rating.application_id in finalist_ids:
            rated[names[interviewer]].add(rating.competency_name)
    return {interviewer: frozenset(found) for interviewer, found in rated.items()}


def _seat_drafts(
    position: Position,
    sessions: list[SessionDraft],
    proposal: coverage.CoveragePlan,
    people: list[User],
    names: dict[int, str],
    current: list[Seat],
    written: dict[tuple[int, int], Written],
) -> list[SeatDraft]:
    by_key = {d.key: d for d in sessions}
    by_id = {d.existing.pk: d for d in sessions if d.existing is not None}
    users = {names[u.pk]: u for u in people}
    competencies = {c.name: c for c in position.competencies.all()}
    existing = {(s.session.kind, s.interviewer_id): s for s in current}
    drafts: list[SeatDraft] = []
    placed: set[tuple[str, int]] = set()
    for seat in current:  # seats with scorecards stay, whatever the engine says
        if (seat.session_id, seat.interviewer_id) in written:
            drafts.append(
                SeatDraft(by_id[seat.session_id], seat.interviewer, tuple(seat.competencies.all()),
                          seat, written[seat.session_id, seat.interviewer_id])
            )  # fmt: skip
            placed.add((seat.session.kind, seat.interviewer_id))
    for a in proposal.assignments:
        session, user = by_key[a.session], users[a.interviewer]
        if not session.assesses or (session.kind, user.pk) in placed:
            continue
        focus = tuple(competencies[name] for name in a.competencies)
        drafts.append(SeatDraft(session, user, focus, existing.get((session.kind, user.pk)), None))
        placed.add((session.kind, user.pk))
    host = organisation_members().filter(recruiting_positions=position).first() or (
        position.hiring_manager
    )
    for session in sessions:
        if session.kind in HOSTED_SESSIONS and (session.kind, host.pk) not in placed:
            drafts.append(SeatDraft(session, host, (), existing.get((session.kind, host.pk)), None))
    return drafts


def _focus(seat: Seat) -> tuple[str, ...]:
    return tuple(c.name for c in seat.competencies.all())


def _changes(
    current: list[Seat], drafts: list[SeatDraft], written: dict[tuple[int, int], Written]
) -> list[SeatChange]:
    before = {
        (s.session.kind, s.interviewer_id): (s.session.title, str(s.interviewer), _focus(s))
        for s in current
        if (s.session_id, s.interviewer_id) not in written
    }
    after = {
        (d.session.kind, d.interviewer.pk): (
            d.session.title,
            str(d.interviewer),
            tuple(c.name for c in d.competencies),
        )
        for d in drafts
        if d.written is None
    }
    changes = []
    for key, (title, person, focus) in before.items():
        if key not in after:
            changes.append(SeatChange(title, person, focus, None))
        elif set(after[key][2]) != set(focus):
            changes.append(SeatChange(after[key][0], person, focus, after[key][2]))
    for key, (title, person, focus) in after.items():
        if key not in before:
            changes.append(SeatChange(title, person, None, focus))
    return changes


def fingerprint(plan: LoopPlan | None, budget: int) -> str:
    """A digest of the loop as it stands and the budget asked for, so a confirmation given
    for one state of the loop is never applied to another."""
    if plan is None:
        return hashlib.sha256(f"none/{budget}".encode()).hexdigest()[:16]
    parts = [str(budget), plan.status]
    for session in plan.sessions.all().order_by("pk"):
        parts.append(f"s{session.pk}:{session.title}:{session.duration_minutes}")
    for seat in (
        Seat.objects.filter(session__plan=plan).order_by("pk").prefetch_related("competencies")
    ):
        focus = ",".join(str(c.pk) for c in sorted(seat.competencies.all(), key=lambda c: c.pk))
        parts.append(f"t{seat.pk}:{seat.session_id}:{seat.interviewer_id}:{focus}")
    for key, written in sorted(scorecards_by_seat(plan).items()):
        parts.append(f"w{key}:{written.total}:{written.submitted}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]
