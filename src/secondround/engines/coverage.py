"""Who covers which competency in which session of a second-round loop.

One loop is shared by every finalist, so the comparison is fair. The engine seats
interviewers in the loop's sessions and gives each seated interviewer up to three *focus
competencies* to rate, under these rules:

- **One conversation each.** An interviewer sits in at most one session of the loop (more
  time with one person adds less than a second independent view; it also keeps the loop
  within people's calendars). A session seats exactly ``interviewers_needed`` people and
  always seats its ``fixed_interviewers`` (the hiring-manager conversation is the hiring
  manager's).
- **Kinds.** A session assesses only competencies whose ``kind`` is in its ``kinds``;
  ``eligible`` may further limit which kinds an interviewer can assess.
- **Qualified raters.** When ``qualified`` is given, an interviewer rates only the
  competencies listed for them there (someone absent from it rates none), and sits in a
  session that assesses the position's competencies only if they are qualified for one it
  assesses (its fixed interviewers excepted). The two-departments rule is met with qualified
  people or reported as unmet, never by seating the unqualified.
- **Kept seats.** ``keep`` lists assignments that must stay exactly as they are (for example
  seats whose interviewer has already written a scorecard); the proposal plans around them.
- **Focus limit.** An interviewer rates at most ``min(max_focus, rules.max_focus_per_
  interviewer)`` competencies (default 3), so each gets real time.
- **Coverage.** Every competency has at least one rater; every must-have competency has at
  least ``min_raters_must_have`` (2) independent raters from at least
  ``min_departments_must_have`` (2) departments (Campion, Palmer & Campion 1997: several
  independent interviewers; the second round's purpose of meeting other departments).
- **Fresh eyes** (soft). An interviewer who rated a competency for any finalist in round one
  gets other competencies where possible, so round two adds a new, independent view.
- **Balance** (soft). Focus competencies are spread evenly: no seated interviewer in an
  assessing session is left without a focus competency when one is available, and extra
  focus competencies go to whoever carries fewest (two and two rather than three and one).
  (Minutes need no balancing: with one session each, an interviewer's minutes are their
  session's length.)
- **Time budget.** The loop's length (the sum of its sessions) must not exceed the budget.

:func:`plan_coverage` proposes an assignment by solving a small integer program (below);
:func:`check_coverage` evaluates any assignment, for example one the team edited, against
the same rules. Both return a :class:`CoveragePlan` whose ``violations`` say which rule is
broken, for what, and why in plain words. A plan is ``ok`` when it has no violation of
severity ``"error"``; ``fresh_eyes`` violations are warnings (the rule is a preference).

The integer program
-------------------
Binary ``x[i, s]`` (interviewer ``i`` sits in session ``s``) and ``y[i, s, c]`` (``i`` rates
``c`` in ``s``; only where ``s`` assesses ``c``'s kind and ``i`` is eligible), with slack
variables for every rule that may have to give way. The objective is lexicographic: a
weighted sum whose tier weights are computed from the problem's size so that one unit of a
higher tier always outweighs the largest possible total of every lower tier. Highest first:

1. unfilled seats (``session_staffing``);
2. missing raters of must-have competencies (``must_have_raters``);
3. missing departments of must-have competencies (``must_have_departments``);
4. uncovered competencies (``uncovered``);
5. repeat raters from round one (``fresh_eyes``);
6. seated interviewers without a focus competency in an assessing session (balance);
7. uneven focus load (balance): an interviewer's ``k``-th focus competency costs
   ``k - 1``, a convex cost that spreads competencies evenly.

Seats, the one-session rule, kinds, eligibility, qualifications, kept seats and the focus
limit are hard constraints:
the proposal never breaks them (``check_coverage`` reports them in edited plans). The time
budget does not depend on the assignment; it is only checked. The program is solved to
proven optimality by HiGHS through :func:`scipy.optimize.milp`; a 10-session ×
15-interviewer × 10-competency loop typically takes about a tenth of a second and under
one second in every run measured (``docs/engines.md``).

References
----------
Campion, M. A., Palmer, D. K. and Campion, J. E. (1997). A review of structure in the
selection interview. *Personnel Psychology* 50, 655-702.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import scipy.optimize
import scipy.sparse as sp

__all__ = [
    "Assignment",
    "Competency",
    "CoverageInputError",
    "CoveragePlan",
    "CoverageRules",
    "Interviewer",
    "Session",
    "Violation",
    "check_coverage",
    "plan_coverage",
]

#: Seconds HiGHS may spend before the best plan found so far is returned.
DEFAULT_TIME_LIMIT_S = 10.0

Severity = Literal["error", "warning"]


class CoverageInputError(ValueError):
    """Input the coverage engine cannot use; the message names what is wrong and where.

    Parameters
    ----------
    message : str
        The full, human-readable message.
    field : str or None
        The argument at fault (``sessions``, ``interviewers``, ``competencies``, ``rules``,
        ``eligible``, ``assignments``).
    index : int or None
        0-based position of the offending item in that argument, when one item is at fault.
    """

    def __init__(self, message: str, *, field: str | None = None, index: int | None = None):
        super().__init__(message)
        self.field = field
        self.index = index


@dataclass(frozen=True, slots=True)
class Interviewer:
    """A possible interviewer for the loop.

    Parameters
    ----------
    id : str
        Identifier, also used in messages (pass a display name if you want one there).
    department : str
        Their department; must-have competencies need raters from several.
    max_focus : int
        The most focus competencies they will take (the rules' limit applies as well).
    available : bool
        Whether they can join this loop at all.
    """

    id: str
    department: str
    max_focus: int = 3
    available: bool = True


@dataclass(frozen=True, slots=True)
class Competency:
    """A competency of the position.

    Parameters
    ----------
    name : str
        Its name, also used in messages.
    kind : str
        What sort of competency it is (``"technical"``, ``"collaboration"``, ...): sessions
        and interviewers are matched to kinds.
    must_have : bool
        Must-haves need several raters from several departments.
    weight : float
        Its weight in the position (positive). Reported, not used by the solver: every
        competency counts the same for coverage, and must-have status sets the stricter rules.
    """

    name: str
    kind: str
    must_have: bool = False
    weight: float = 1.0


@dataclass(frozen=True, slots=True)
class Session:
    """One session of the loop.

    Parameters
    ----------
    key : str
        Identifier of the session.
    purpose : str
        What the session is for, in a sentence.
    duration_minutes : int
        Its length.
    kinds : frozenset of str
        Competency kinds it may assess; empty for sessions that assess none (the candidate's
        own questions, welcome and wrap-up).
    interviewers_needed : int
        How many interviewers it seats.
    fixed_interviewers : tuple of str
        Interviewer ids that always sit in it (counted in ``interviewers_needed``).
    title : str
        Short name for messages; the key is used when empty.
    """

    key: str
    purpose: str
    duration_minutes: int
    kinds: frozenset[str]
    interviewers_needed: int = 1
    fixed_interviewers: tuple[str, ...] = ()
    title: str = ""

    @property
    def label(self) -> str:
        """The name used in messages: the title, or the key if there is none."""
        return self.title or self.key


@dataclass(frozen=True, slots=True)
class CoverageRules:
    """The coverage rules a hiring team sets (see the module docstring)."""

    min_raters_must_have: int = 2
    min_departments_must_have: int = 2
    max_focus_per_interviewer: int = 3
    time_budget_minutes: int | None = None
    prefer_fresh_eyes: bool = True


@dataclass(frozen=True, slots=True)
class Assignment:
    """One interviewer seated in one session, with the competencies they focus on."""

    session: str
    interviewer: str
    competencies: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule the plan breaks.

    Attributes
    ----------
    rule : str
        ``"session_staffing"``, ``"one_session"``, ``"session_kinds"``, ``"eligibility"``,
        ``"qualification"``, ``"max_focus"``, ``"must_have_raters"``, ``"must_have_departments"``,
        ``"uncovered"``, ``"fresh_eyes"`` or ``"time_budget"``. The proposal never breaks
        ``one_session``, ``session_kinds``, ``eligibility``, ``qualification`` or ``max_focus``
        (unless a kept seat does); edited plans may.
    subject : str
        The competency name, interviewer id or session key concerned (``"loop"`` for the
        time budget).
    message : str
        What is wrong and why, in plain words.
    severity : {"error", "warning"}
        ``fresh_eyes`` is a warning; everything else an error.
    """

    rule: str
    subject: str
    message: str
    severity: Severity = "error"


@dataclass(frozen=True)
class CoveragePlan:
    """A loop's coverage: who sits where and rates what, and which rules it breaks.

    Attributes
    ----------
    assignments : tuple of Assignment
        In session order, then interviewer order.
    violations : tuple of Violation
        Errors first (by rule), then warnings.
    raters : dict
        Competency name -> ids of the interviewers whose rating of it counts (valid session
        kind, eligible, available), for every competency.
    load_minutes : dict
        Interviewer id -> minutes in the loop, for every interviewer (0 if not seated).
    total_minutes : int
        The loop's length: the sum of its sessions' durations.
    ok : bool
        No violation of severity ``"error"`` (fresh-eyes warnings allowed).
    focus_counts : dict
        Interviewer id -> number of focus competencies, for every interviewer.
    proven_optimal : bool or None
        From :func:`plan_coverage`: whether the solver proved the plan best under its
        objective (``False`` if it hit its time limit). ``None`` from :func:`check_coverage`.
    """

    assignments: tuple[Assignment, ...]
    violations: tuple[Violation, ...]
    raters: dict[str, tuple[str, ...]]
    load_minutes: dict[str, int]
    total_minutes: int
    ok: bool
    focus_counts: dict[str, int] = field(default_factory=dict)
    proven_optimal: bool | None = None

    @property
    def errors(self) -> tuple[Violation, ...]:
        """The violations of severity ``"error"``."""
        return tuple(v for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        """The violations of severity ``"warning"``."""
        return tuple(v for v in self.violations if v.severity == "warning")


# --- public functions -------------------------------------------------------------------


def plan_coverage(
    *,
    sessions: Sequence[Session],
    interviewers: Sequence[Interviewer],
    competencies: Sequence[Competency],
    rules: CoverageRules = CoverageRules(),
    round_one_raters: Mapping[str, Collection[str]] | None = None,
    eligible: Mapping[str, Collection[str]] | None = None,
    qualified: Mapping[str, Collection[str]] | None = None,
    keep: Sequence[Assignment] = (),
    time_limit_s: float = DEFAULT_TIME_LIMIT_S,
) -> CoveragePlan:
    """Propose who sits in which session and rates which competencies.

    Parameters
    ----------
    sessions : sequence of Session
        The loop's sessions, in order.
    interviewers : sequence of Interviewer
        The possible interviewers.
    competencies : sequence of Competency
        The position's competencies.
    rules : CoverageRules
        The coverage rules.
    round_one_raters : mapping, optional
        Interviewer id -> competency names they rated for any finalist in round one.
        Interviewers or competencies not in this loop are ignored.
    eligible : mapping, optional
        Interviewer id -> competency kinds they can assess. ``None``, or an interviewer
        missing from the mapping, means any kind.
    qualified : mapping, optional
        Interviewer id -> names of the competencies they are qualified to rate. ``None``
        means everyone may rate everything; an interviewer missing from the mapping rates
        nothing. Names of competencies not in this loop are ignored.
    keep : sequence of Assignment
        Seats to keep exactly as given (same session, same focus competencies), for example
        because their interviewer has already written scorecards. They are kept even if they
        break a rule (one person in two sessions, say); the result then reports it.
    time_limit_s : float
        Seconds the solver may spend; past it the best plan found is returned with
        ``proven_optimal=False``.

    Returns
    -------
    CoveragePlan
        The proposal and every rule it cannot meet, with the reason.

    Raises
    ------
    CoverageInputError
        Malformed input (see :func:`check_coverage`).
    """
    problem = _Problem.build(
        sessions, interviewers, competencies, rules, round_one_raters, eligible, qualified
    )
    if not (isinstance(time_limit_s, int | float) and time_limit_s > 0):
        raise CoverageInputError(f"time_limit_s must be a positive number, got {time_limit_s!r}")
    kept = _validate_kept(problem, keep)
    assignments, optimal = _solve(problem, kept, float(time_limit_s))
    return _evaluate(problem, assignments, proven_optimal=optimal)


def check_coverage(
    *,
    assignments: Sequence[Assignment],
    sessions: Sequence[Session],
    interviewers: Sequence[Interviewer],
    competencies: Sequence[Competency],
    rules: CoverageRules = CoverageRules(),
    round_one_raters: Mapping[str, Collection[str]] | None = None,
    eligible: Mapping[str, Collection[str]] | None = None,
    qualified: Mapping[str, Collection[str]] | None = None,
) -> CoveragePlan:
    """Evaluate a given assignment (for example one the team edited) without optimising.

    The parameters are those of :func:`plan_coverage` plus ``assignments``. Checking a
    proposal's own assignments gives back the proposal's violations exactly.

    Raises
    ------
    CoverageInputError
        Empty sessions; duplicate session keys, interviewer ids or competency names; a
        non-positive duration or weight; a fixed interviewer who is unknown, fixed to two
        sessions or more than the session seats; unknown interviewers in ``eligible``;
        rules out of range; an assignment naming an unknown session, interviewer or
        competency, repeating a competency, or repeating a (session, interviewer) pair.
    """
    problem = _Problem.build(
        sessions, interviewers, competencies, rules, round_one_raters, eligible, qualified
    )
    checked = _validate_assignments(problem, assignments)
    return _evaluate(problem, checked, proven_optimal=None)


# --- the validated problem --------------------------------------------------------------


@dataclass(frozen=True)
class _Problem:
    sessions: tuple[Session, ...]
    interviewers: tuple[Interviewer, ...]
    competencies: tuple[Competency, ...]
    rules: CoverageRules
    round_one: dict[str, frozenset[str]]
    eligible: dict[str, frozenset[str]] | None
    qualified: dict[str, frozenset[str]] | None
    session_by_key: dict[str, Session]
    interviewer_by_id: dict[str, Interviewer]
    competency_by_name: dict[str, Competency]

    @classmethod
    def build(
        cls,
        sessions: Sequence[Session],
        interviewers: Sequence[Interviewer],
        competencies: Sequence[Competency],
        rules: CoverageRules,
        round_one_raters: Mapping[str, Collection[str]] | None,
        eligible: Mapping[str, Collection[str]] | None,
        qualified: Mapping[str, Collection[str]] | None = None,
    ) -> _Problem:
        _validate_rules(rules)
        interviewer_by_id = _validate_interviewers(interviewers)
        competency_by_name = _validate_competencies(competencies)
        session_by_key = _validate_sessions(sessions, interviewer_by_id)
        eligible_kinds = _validate_eligible(eligible, interviewer_by_id)
        qualified_names = _validate_qualified(qualified, interviewer_by_id, competency_by_name)
        round_one: dict[str, frozenset[str]] = {}
        for interviewer_id, names in (round_one_raters or {}).items():
            if interviewer_id in interviewer_by_id:
                if isinstance(names, str):
                    raise CoverageInputError(
                        f"round_one_raters[{interviewer_id!r}] must be a set of competency names, not one string",
                        field="round_one_raters",
                    )
                round_one[interviewer_id] = frozenset(n for n in names if n in competency_by_name)
        return cls(
            sessions=tuple(sessions),
            interviewers=tuple(interviewers),
            competencies=tuple(competencies),
            rules=rules,
            round_one=round_one,
            eligible=eligible_kinds,
            qualified=qualified_names,
            session_by_key=session_by_key,
            interviewer_by_id=interviewer_by_id,
            competency_by_name=competency_by_name,
        )

    def cap(self, interviewer: Interviewer) -> int:
        """The most focus competencies this interviewer may take."""
        return min(interviewer.max_focus, self.rules.max_focus_per_interviewer)

    def can_assess(self, interviewer: Interviewer, kind: str) -> bool:
        """Whether the interviewer is eligible for competencies of this kind."""
        if self.eligible is None or interviewer.id not in self.eligible:
            return True
        return kind in self.eligible[interviewer.id]

    def is_qualified(self, interviewer: Interviewer, competency: Competency) -> bool:
        """Whether the interviewer is qualified to rate this competency."""
        if self.qualified is None:
            return True
        return competency.name in self.qualified.get(interviewer.id, frozenset())

    def can_rate(self, interviewer: Interviewer, competency: Competency) -> bool:
        """Eligible for the competency's kind and qualified for the competency itself."""
        return self.can_assess(interviewer, competency.kind) and self.is_qualified(
            interviewer, competency
        )

    def may_sit(self, interviewer: Interviewer, session: Session) -> bool:
        """Whether seating the interviewer here puts no unqualified rater in the session.

        A session that assesses none of the loop's competencies seats anyone; one that does
        seats only people qualified for at least one of them (fixed interviewers always sit).
        """
        if interviewer.id in session.fixed_interviewers or self.qualified is None:
            return True
        assessed = [c for c in self.competencies if c.kind in session.kinds]
        return not assessed or any(self.can_rate(interviewer, c) for c in assessed)

    def repeats(self, interviewer_id: str, competency: str) -> bool:
        """Whether rating this would break fresh eyes (rated it in round one)."""
        return self.rules.prefer_fresh_eyes and competency in self.round_one.get(
            interviewer_id, frozenset()
        )


def _is_count(value: object, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= low


def _validate_rules(rules: CoverageRules) -> None:
    for name, low in (
        ("min_raters_must_have", 1),
        ("min_departments_must_have", 1),
        ("max_focus_per_interviewer", 0),
    ):
        value = getattr(rules, name)
        if not _is_count(value, low):
            raise CoverageInputError(
                f"rules.{name} must be a whole number of at least {low}, got {value!r}",
                field="rules",
            )
    budget = rules.time_budget_minutes
    if budget is not None and not _is_count(budget, 0):
        raise CoverageInputError(
            f"rules.time_budget_minutes must be None or a whole number of minutes, got {budget!r}",
            field="rules",
        )


def _validate_interviewers(interviewers: Sequence[Interviewer]) -> dict[str, Interviewer]:
    by_id: dict[str, Interviewer] = {}
    for index, person in enumerate(interviewers):
        where = f"interviewers[{index}]"
        if not isinstance(person.id, str) or not person.id:
            raise CoverageInputError(
                f"{where}: id must be a non-empty string", field="interviewers", index=index
            )
        if person.id in by_id:
            raise CoverageInputError(
                f"{where}: {person.id!r} is listed twice", field="interviewers", index=index
            )
        if not isinstance(person.department, str) or not person.department:
            raise CoverageInputError(
                f"{where} ({person.id!r}): department must be a non-empty string",
                field="interviewers",
                index=index,
            )
        if not _is_count(person.max_focus, 0):
            raise CoverageInputError(
                f"{where} ({person.id!r}): max_focus must be a whole number of at least 0, got {person.max_focus!r}",
                field="interviewers",
                index=index,
            )
        by_id[person.id] = person
    return by_id


def _validate_competencies(competencies: Sequence[Competency]) -> dict[str, Competency]:
    by_name: dict[str, Competency] = {}
    for index, competency in enumerate(competencies):
        where = f"competencies[{index}]"
        if not isinstance(competency.name, str) or not competency.name:
            raise CoverageInputError(
                f"{where}: name must be a non-empty string", field="competencies", index=index
            )
        if competency.name in by_name:
            raise CoverageInputError(
                f"{where}: {competency.name!r} is listed twice", field="competencies", index=index
            )
        if not isinstance(competency.kind, str) or not competency.kind:
            raise CoverageInputError(
                f"{where} ({competency.name!r}): kind must be a non-empty string",
                field="competencies",
                index=index,
            )
        weight = competency.weight
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not math.isfinite(weight)
            or weight <= 0
        ):
            raise CoverageInputError(
                f"{where} ({competency.name!r}): weight must be a positive number, got {weight!r}",
                field="competencies",
                index=index,
            )
        by_name[competency.name] = competency
    return by_name


def _validate_sessions(
    sessions: Sequence[Session], interviewer_by_id: dict[str, Interviewer]
) -> dict[str, Session]:
    if not sessions:
        raise CoverageInputError(
            "sessions is empty: a loop needs at least one session", field="sessions"
        )
    by_key: dict[str, Session] = {}
    fixed_to: dict[str, str] = {}
    for index, session in enumerate(sessions):
        where = f"sessions[{index}]"
        if not isinstance(session.key, str) or not session.key:
            raise CoverageInputError(
                f"{where}: key must be a non-empty string", field="sessions", index=index
            )
        where = f"{where} ({session.key!r})"
        if session.key in by_key:
            raise CoverageInputError(
                f"{where}: the key is used twice", field="sessions", index=index
            )
        if not _is_count(session.duration_minutes, 1):
            raise CoverageInputError(
                f"{where}: duration_minutes must be a whole number of at least 1, got {session.duration_minutes!r}",
                field="sessions",
                index=index,
            )
        if isinstance(session.kinds, str) or not all(isinstance(k, str) for k in session.kinds):
            raise CoverageInputError(
                f"{where}: kinds must be a set of kind names, got {session.kinds!r}",
                field="sessions",
                index=index,
            )
        if not _is_count(session.interviewers_needed, 0):
            raise CoverageInputError(
                f"{where}: interviewers_needed must be a whole number of at least 0, got {session.interviewers_needed!r}",
                field="sessions",
                index=index,
            )
        fixed = session.fixed_interviewers
        if isinstance(fixed, str):
            raise CoverageInputError(
                f"{where}: fixed_interviewers must be a tuple of ids, not one string",
                field="sessions",
                index=index,
            )
        if len(set(fixed)) != len(fixed):
            raise CoverageInputError(
                f"{where}: fixed_interviewers repeats an id", field="sessions", index=index
            )
        if len(fixed) > session.interviewers_needed:
            raise CoverageInputError(
                f"{where}: {len(fixed)} fixed interviewers but the session seats only {session.interviewers_needed}",
                field="sessions",
                index=index,
            )
        for person in fixed:
            if person not in interviewer_by_id:
                raise CoverageInputError(
                    f"{where}: fixed interviewer {person!r} is not among the interviewers",
                    field="sessions",
                    index=index,
                )
            if person in fixed_to:
                raise CoverageInputError(
                    f"{where}: {person!r} is already fixed to session {fixed_to[person]!r}; "
                    "an interviewer sits in one session per loop",
                    field="sessions",
                    index=index,
                )
            fixed_to[person] = session.key
        by_key[session.key] = session
    return by_key


def _per_interviewer(
    mapping: Mapping[str, Collection[str]] | None,
    interviewer_by_id: dict[str, Interviewer],
    field: str,
    what: str,
) -> dict[str, frozenset[str]] | None:
    """A per-interviewer set of names, checked: known interviewers, sets rather than strings."""
    if mapping is None:
        return None
    sets: dict[str, frozenset[str]] = {}
    for interviewer_id, allowed in mapping.items():
        if interviewer_id not in interviewer_by_id:
            raise CoverageInputError(
                f"{field} names unknown interviewer {interviewer_id!r}", field=field
            )
        if isinstance(allowed, str):
            raise CoverageInputError(
                f"{field}[{interviewer_id!r}] must be a set of {what}, not one string",
                field=field,
            )
        sets[interviewer_id] = frozenset(allowed)
    return sets


def _validate_eligible(
    eligible: Mapping[str, Collection[str]] | None, interviewer_by_id: dict[str, Interviewer]
) -> dict[str, frozenset[str]] | None:
    return _per_interviewer(eligible, interviewer_by_id, "eligible", "kinds")


def _validate_qualified(
    qualified: Mapping[str, Collection[str]] | None,
    interviewer_by_id: dict[str, Interviewer],
    competency_by_name: dict[str, Competency],
) -> dict[str, frozenset[str]] | None:
    names = _per_interviewer(qualified, interviewer_by_id, "qualified", "competency names")
    if names is None:
        return None
    return {
        who: frozenset(n for n in allowed if n in competency_by_name)
        for who, allowed in names.items()
    }


def _validate_kept(problem: _Problem, keep: Sequence[Assignment]) -> list[Assignment]:
    # One person kept in two sessions is allowed (it happened: they interviewed in both);
    # the result reports it under one_session.
    kept = _validate_assignments(problem, keep, field="keep")
    for index, assignment in enumerate(kept):
        if not problem.interviewer_by_id[assignment.interviewer].available:
            raise CoverageInputError(
                f"keep[{index}]: {assignment.interviewer!r} is kept but unavailable",
                field="keep",
                index=index,
            )
        fixed_elsewhere = [
            s.key
            for s in problem.sessions
            if assignment.interviewer in s.fixed_interviewers and s.key != assignment.session
        ]
        if fixed_elsewhere:
            raise CoverageInputError(
                f"keep[{index}]: {assignment.interviewer!r} is fixed to session "
                f"{fixed_elsewhere[0]!r}",
                field="keep",
                index=index,
            )
    return kept


def _validate_assignments(
    problem: _Problem, assignments: Sequence[Assignment], *, field: str = "assignments"
) -> list[Assignment]:
    seen: set[tuple[str, str]] = set()
    for index, assignment in enumerate(assignments):
        where = f"{field}[{index}] ({assignment.session!r}, {assignment.interviewer!r})"
        if assignment.session not in problem.session_by_key:
            raise CoverageInputError(
                f"{where}: unknown session {assignment.session!r}", field=field, index=index
            )
        if assignment.interviewer not in problem.interviewer_by_id:
            raise CoverageInputError(
                f"{where}: unknown interviewer {assignment.interviewer!r}",
                field=field,
                index=index,
            )
        if isinstance(assignment.competencies, str):
            raise CoverageInputError(
                f"{where}: competencies must be a tuple of names, not one string",
                field=field,
                index=index,
            )
        for name in assignment.competencies:
            if name not in problem.competency_by_name:
                raise CoverageInputError(
                    f"{where}: unknown competency {name!r}", field=field, index=index
                )
        if len(set(assignment.competencies)) != len(assignment.competencies):
            raise CoverageInputError(
                f"{where}: a competency is listed twice", field=field, index=index
            )
        pair = (assignment.session, assignment.interviewer)
        if pair in seen:
            raise CoverageInputError(
                f"{where}: the interviewer is assigned to this session twice",
                field=field,
                index=index,
            )
        seen.add(pair)
    return list(assignments)


# --- the integer program ----------------------------------------------------------------


class _Model:
    """A tiny builder for :func:`scipy.optimize.milp`: variables, rows, tiered costs."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[int] = []
        self.cost_terms: list[tuple[int, str, float]] = []  # (variable, tier, coefficient)
        self.rows: list[int] = []
        self.cols: list[int] = []
        self.values: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []

    def var(self, lower: float, upper: float, *, integer: bool) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.integer.append(1 if integer else 0)
        return len(self.lower) - 1

    def cost(self, variable: int, tier: str, coefficient: float = 1.0) -> None:
        self.cost_terms.append((variable, tier, coefficient))

    def row(self, terms: Sequence[tuple[int, float]], lower: float, upper: float) -> None:
        index = len(self.row_lower)
        for variable, coefficient in terms:
            self.rows.append(index)
            self.cols.append(variable)
            self.values.append(coefficient)
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def solve(
        self, tier_weights: Mapping[str, float], time_limit_s: float
    ) -> tuple[np.ndarray, bool]:
        n = len(self.lower)
        objective = np.zeros(n)
        for variable, tier, coefficient in self.cost_terms:
            objective[variable] += tier_weights[tier] * coefficient
        constraints = []
        if self.row_lower:
            matrix = sp.csr_array(
                (self.values, (self.rows, self.cols)), shape=(len(self.row_lower), n)
            )
            constraints.append(
                scipy.optimize.LinearConstraint(matrix, self.row_lower, self.row_upper)
            )
        result = scipy.optimize.milp(
            objective,
            integrality=np.array(self.integer),
            bounds=scipy.optimize.Bounds(self.lower, self.upper),
            constraints=constraints,
            options={"mip_rel_gap": 0.0, "time_limit": time_limit_s},
        )
        if result.x is None:  # pragma: no cover - the model is always feasible (all slacks)
            raise RuntimeError(f"the coverage solver found no plan: {result.message}")
        return np.asarray(result.x), result.status == 0


# Tiers from lowest to highest; see the module docstring.
_TIERS = (
    "focus_load",
    "idle_seats",
    "fresh_eyes",
    "uncovered",
    "departments",
    "raters",
    "seats",
)


def _tier_weights(upper_bounds: Mapping[str, float]) -> dict[str, float]:
    """Weights making the objective lexicographic over ``_TIERS``.

    Every tier's quantity is a whole number at an integer solution; a tier's weight is one
    more than the largest possible weighted total of all lower tiers, so one unit of it
    outweighs any trade among them.
    """
    weights: dict[str, float] = {}
    below = 0.0
    for tier in _TIERS:
        weights[tier] = below + 1.0
        below += weights[tier] * upper_bounds[tier]
    return weights


def _solve(
    problem: _Problem, kept: Sequence[Assignment], time_limit_s: float
) -> tuple[list[Assignment], bool]:
    model = _Model()
    rules = problem.rules
    kept_session = {a.interviewer: a.session for a in kept}
    # Kept seats are constants, not choices: their people get no variables of their own.
    people = [p for p in problem.interviewers if p.available and p.id not in kept_session]
    x: dict[tuple[str, str], int] = {}
    y: dict[tuple[str, str, str], int] = {}
    fixed = {person: s.key for s in problem.sessions for person in s.fixed_interviewers}

    for person in people:
        for session in problem.sessions:
            is_fixed = fixed.get(person.id) == session.key
            may_sit = is_fixed or problem.may_sit(person, session)
            x[person.id, session.key] = model.var(
                1.0 if is_fixed else 0.0, 1.0 if may_sit else 0.0, integer=True
            )
            if problem.cap(person) == 0 or not may_sit:
                continue
            for competency in problem.competencies:
                if competency.kind in session.kinds and problem.can_rate(person, competency):
                    variable = model.var(0.0, 1.0, integer=True)
                    y[person.id, session.key, competency.name] = variable
                    if problem.repeats(person.id, competency.name):
                        model.cost(variable, "fresh_eyes")

    def focus_of(person_id: str, session_key: str) -> list[int]:
        return [
            y[person_id, session_key, c.name]
            for c in problem.competencies
            if (person_id, session_key, c.name) in y
        ]

    kept_seating = _Seating(problem, kept)
    seats_total = focus_load_bound = 0
    for session in problem.sessions:
        already = len(kept_seating.seats[session.key])
        need = max(session.interviewers_needed - already, 0)
        shortfall = model.var(0.0, need, integer=False)
        model.cost(shortfall, "seats")
        seat_terms = [(x[p.id, session.key], 1.0) for p in people]
        model.row([*seat_terms, (shortfall, 1.0)], need, need)
        if session.kinds:
            seats_total += need

    for person in people:
        model.row([(x[person.id, s.key], 1.0) for s in problem.sessions], 0.0, 1.0)
        every_focus: list[int] = []
        for session in problem.sessions:
            focus = focus_of(person.id, session.key)
            every_focus += focus
            seat = x[person.id, session.key]
            if focus:
                model.row([*((v, 1.0) for v in focus), (seat, -problem.cap(person))], -np.inf, 0.0)
                for v in focus:
                    model.row([(v, 1.0), (seat, -1.0)], -np.inf, 0.0)
            if session.kinds:
                idle = model.var(0.0, 1.0, integer=False)
                model.cost(idle, "idle_seats")
                model.row([(seat, 1.0), *((v, -1.0) for v in focus), (idle, -1.0)], -np.inf, 0.0)
        # Convex load: the k-th focus competency of one interviewer costs k - 1, so two
        # interviewers with two each (1 + 1) beat one with three and one with one (3 + 0).
        # Written against the seat (``focus - extra × seated``) rather than the constant
        # ``extra``: the same at integer points, but a much tighter LP relaxation.
        assessing_seats = [x[person.id, s.key] for s in problem.sessions if s.kinds]
        for extra in range(1, problem.cap(person)):
            excess = model.var(0.0, problem.cap(person) - extra, integer=False)
            model.cost(excess, "focus_load")
            model.row(
                [
                    *((v, 1.0) for v in every_focus),
                    *((v, -extra) for v in assessing_seats),
                    (excess, -1.0),
                ],
                -np.inf,
                0.0,
            )
            focus_load_bound += problem.cap(person) - extra

    n_uncovered = n_department_slack = n_rater_slack = 0
    for competency in problem.competencies:
        raters = [v for (_, _, name), v in y.items() if name == competency.name]
        kept_raters = kept_seating.raters[competency.name]
        if not competency.must_have:
            need = 0 if kept_raters else 1
            slack = model.var(0.0, need, integer=False)
            model.cost(slack, "uncovered")
            model.row([*((v, 1.0) for v in raters), (slack, 1.0)], need, np.inf)
            n_uncovered += need
            continue
        need = max(rules.min_raters_must_have - len(kept_raters), 0)
        slack = model.var(0.0, need, integer=False)
        model.cost(slack, "raters")
        model.row([*((v, 1.0) for v in raters), (slack, 1.0)], need, np.inf)
        n_rater_slack += need
        kept_departments = set(_departments(problem, kept_raters))
        departments: dict[str, list[int]] = {}
        for (person_id, _, name), v in y.items():
            department = problem.interviewer_by_id[person_id].department
            if name == competency.name and department not in kept_departments:
                departments.setdefault(department, []).append(v)
        reached = []
        for variables in departments.values():
            hit = model.var(0.0, 1.0, integer=False)
            model.row([(hit, 1.0), *((v, -1.0) for v in variables)], -np.inf, 0.0)
            reached.append(hit)
        need = max(rules.min_departments_must_have - len(kept_departments), 0)
        slack = model.var(0.0, need, integer=False)
        model.cost(slack, "departments")
        model.row([*((v, 1.0) for v in reached), (slack, 1.0)], need, np.inf)
        n_department_slack += need

    fresh_terms = sum(1 for _, tier, _ in model.cost_terms if tier == "fresh_eyes")
    weights = _tier_weights(
        {
            "focus_load": focus_load_bound,
            "idle_seats": seats_total,
            "fresh_eyes": min(fresh_terms, sum(problem.cap(p) for p in people)),
            "uncovered": n_uncovered,
            "departments": n_department_slack,
            "raters": n_rater_slack,
            "seats": sum(s.interviewers_needed for s in problem.sessions),
        }
    )
    solution, optimal = model.solve(weights, time_limit_s)

    assignments = list(kept)
    for session in problem.sessions:
        for person in people:
            if solution[x[person.id, session.key]] > 0.5:
                names = tuple(
                    c.name
                    for c in problem.competencies
                    if (person.id, session.key, c.name) in y
                    and solution[y[person.id, session.key, c.name]] > 0.5
                )
                assignments.append(Assignment(session.key, person.id, names))
    return assignments, optimal


# --- evaluation -------------------------------------------------------------------------


def _evaluate(
    problem: _Problem, assignments: Sequence[Assignment], *, proven_optimal: bool | None
) -> CoveragePlan:
    order_s = {s.key: n for n, s in enumerate(problem.sessions)}
    order_i = {p.id: n for n, p in enumerate(problem.interviewers)}
    order_c = {c.name: n for n, c in enumerate(problem.competencies)}
    assignments = sorted(
        (
            Assignment(
                a.session, a.interviewer, tuple(sorted(a.competencies, key=order_c.__getitem__))
            )
            for a in assignments
        ),
        key=lambda a: (order_s[a.session], order_i[a.interviewer]),
    )
    plan = _Seating(problem, assignments)
    violations = [
        *_staffing_violations(problem, plan),
        *_one_session_violations(problem, plan),
        *_kind_violations(problem, assignments),
        *_eligibility_violations(problem, assignments),
        *_qualification_violations(problem, assignments),
        *_max_focus_violations(problem, plan),
        *_coverage_violations(problem, plan),
        *_budget_violations(problem, plan),
        *_fresh_eyes_violations(problem, plan),
    ]
    return CoveragePlan(
        assignments=tuple(assignments),
        violations=tuple(violations),
        raters={c.name: tuple(plan.raters[c.name]) for c in problem.competencies},
        load_minutes={p.id: plan.minutes[p.id] for p in problem.interviewers},
        total_minutes=sum(s.duration_minutes for s in problem.sessions),
        ok=not any(v.severity == "error" for v in violations),
        focus_counts={p.id: len(plan.focus[p.id]) for p in problem.interviewers},
        proven_optimal=proven_optimal,
    )


class _Seating:
    """Derived facts about one assignment: seats, sessions, focus and counted raters."""

    def __init__(self, problem: _Problem, assignments: Sequence[Assignment]) -> None:
        self.seats: dict[str, list[str]] = {s.key: [] for s in problem.sessions}
        self.sessions_of: dict[str, list[str]] = {p.id: [] for p in problem.interviewers}
        self.focus: dict[str, list[str]] = {p.id: [] for p in problem.interviewers}
        self.minutes: dict[str, int] = {p.id: 0 for p in problem.interviewers}
        self.raters: dict[str, list[str]] = {c.name: [] for c in problem.competencies}
        counted: set[tuple[str, str]] = set()
        for a in assignments:
            session = problem.session_by_key[a.session]
            person = problem.interviewer_by_id[a.interviewer]
            self.seats[a.session].append(a.interviewer)
            self.sessions_of[a.interviewer].append(a.session)
            self.minutes[a.interviewer] += session.duration_minutes
            for name in a.competencies:
                if name not in self.focus[a.interviewer]:
                    self.focus[a.interviewer].append(name)
                competency = problem.competency_by_name[name]
                valid = (
                    person.available
                    and competency.kind in session.kinds
                    and problem.can_rate(person, competency)
                )
                if valid and (a.interviewer, name) not in counted:
                    counted.add((a.interviewer, name))
        for c in problem.competencies:
            self.raters[c.name] = [p.id for p in problem.interviewers if (p.id, c.name) in counted]

    def free_slot(self, problem: _Problem, person: Interviewer) -> bool:
        return len(self.focus[person.id]) < problem.cap(person)


def _staffing_violations(problem: _Problem, plan: _Seating) -> list[Violation]:
    found = []
    free = [p.id for p in problem.interviewers if p.available and not plan.sessions_of[p.id]]
    for session in problem.sessions:
        seated = plan.seats[session.key]
        for person_id in session.fixed_interviewers:
            person = problem.interviewer_by_id[person_id]
            if not person.available:
                found.append(
                    Violation(
                        "session_staffing",
                        session.key,
                        f"“{session.label}” is meant for {person_id}, who is unavailable.",
                    )
                )
            elif person_id not in seated:
                found.append(
                    Violation(
                        "session_staffing",
                        session.key,
                        f"“{session.label}” is meant for {person_id}, who is not in it.",
                    )
                )
        for person_id in seated:
            if not problem.interviewer_by_id[person_id].available:
                found.append(
                    Violation(
                        "session_staffing",
                        session.key,
                        f"{person_id} sits in “{session.label}” but is unavailable.",
                    )
                )
        need, have = session.interviewers_needed, len(seated)
        if have < need:
            why = _why_unstaffed(problem, session, free)
            found.append(
                Violation(
                    "session_staffing",
                    session.key,
                    f"“{session.label}” needs {_count(need, 'interviewer')} and has {have}: {why}.",
                )
            )
        elif have > need:
            found.append(
                Violation(
                    "session_staffing",
                    session.key,
                    f"“{session.label}” seats {_count(need, 'interviewer')} but has {have} "
                    f"({_names(seated)}); raise its interviewers needed or move someone.",
                )
            )
    return found


def _why_unstaffed(problem: _Problem, session: Session, free: Sequence[str]) -> str:
    if not any(p.available for p in problem.interviewers):
        return "the panel has no available interviewer; add people to the interview panel"
    if not free:
        available = sum(1 for p in problem.interviewers if p.available)
        seats = sum(s.interviewers_needed for s in problem.sessions)
        if available < seats:
            return (
                f"the panel has only {_count(available, 'available interviewer')} for "
                f"{_count(seats, 'seat')} in the loop; add interviewers to the panel"
            )
        return "every available interviewer already sits in another session (one session each)"
    fit = [i for i in free if problem.may_sit(problem.interviewer_by_id[i], session)]
    if fit:
        return f"{_names(fit)} {'is' if len(fit) == 1 else 'are'} available and in no session yet"
    listed = _names(
        [
            *free[:_MAX_LISTED],
            *([f"{len(free) - _MAX_LISTED} more"] if len(free) > _MAX_LISTED else []),
        ]
    )
    return (
        f"{listed} {'is' if len(free) == 1 else 'are'} free but not qualified to rate "
        "anything it assesses"
    )


def _one_session_violations(problem: _Problem, plan: _Seating) -> list[Violation]:
    found = []
    for person in problem.interviewers:
        keys = plan.sessions_of[person.id]
        if len(keys) > 1:
            labels = [f"“{problem.session_by_key[k].label}”" for k in keys]
            found.append(
                Violation(
                    "one_session",
                    person.id,
                    f"{person.id} sits in {_names(labels)}; each interviewer has one conversation per loop.",
                )
            )
    return found


def _kind_violations(problem: _Problem, assignments: Sequence[Assignment]) -> list[Violation]:
    found = []
    for a in assignments:
        session = problem.session_by_key[a.session]
        for name in a.competencies:
            kind = problem.competency_by_name[name].kind
            if kind not in session.kinds:
                assessed = _names(sorted(session.kinds)) or "no competencies"
                found.append(
                    Violation(
                        "session_kinds",
                        a.session,
                        f"“{session.label}” assesses {assessed}, not {kind} competencies, so "
                        f"{a.interviewer}'s rating of “{name}” there does not count.",
                    )
                )
    return found


def _eligibility_violations(
    problem: _Problem, assignments: Sequence[Assignment]
) -> list[Violation]:
    found = []
    for a in assignments:
        person = problem.interviewer_by_id[a.interviewer]
        for name in a.competencies:
            kind = problem.competency_by_name[name].kind
            if not problem.can_assess(person, kind):
                found.append(
                    Violation(
                        "eligibility",
                        a.interviewer,
                        f"{a.interviewer} cannot assess {kind} competencies, so their rating of "
                        f"“{name}” does not count.",
                    )
                )
    return found


def _qualification_violations(
    problem: _Problem, assignments: Sequence[Assignment]
) -> list[Violation]:
    found = []
    for a in assignments:
        person = problem.interviewer_by_id[a.interviewer]
        for name in a.competencies:
            competency = problem.competency_by_name[name]
            if problem.can_assess(person, competency.kind) and not problem.is_qualified(
                person, competency
            ):
                found.append(
                    Violation(
                        "qualification",
                        a.interviewer,
                        f"{a.interviewer} is not qualified to rate “{name}”, so their rating "
                        "of it does not count.",
                    )
                )
    return found


def _max_focus_violations(problem: _Problem, plan: _Seating) -> list[Violation]:
    found = []
    for person in problem.interviewers:
        have, cap = len(plan.focus[person.id]), problem.cap(person)
        if have > cap:
            found.append(
                Violation(
                    "max_focus",
                    person.id,
                    f"{person.id} has {_count(have, 'focus competency', 'focus competencies')}; "
                    f"at most {cap} so that each gets real time.",
                )
            )
    return found


def _coverage_violations(problem: _Problem, plan: _Seating) -> list[Violation]:
    rules = problem.rules
    raters_found, departments_found, uncovered_found = [], [], []
    for competency in problem.competencies:
        raters = plan.raters[competency.name]
        label = f"“{competency.name}”"
        if competency.must_have:
            need = rules.min_raters_must_have
            if len(raters) < need:
                have = (
                    "has no rater"
                    if not raters
                    else f"has only {_count(len(raters), 'rater')} ({_names(raters)})"
                )
                raters_found.append(
                    Violation(
                        "must_have_raters",
                        competency.name,
                        _sentences(
                            f"{label} {have}; a must-have needs at least {_number(need)} "
                            "independent raters.",
                            _why_short(problem, plan, competency, need),
                        ),
                    )
                )
            departments = _departments(problem, raters)
            need = rules.min_departments_must_have
            if len(departments) < need:
                have = (
                    "is rated by no department"
                    if not departments
                    else f"is rated from {_count(len(departments), 'department')} only ({_names(departments)})"
                )
                departments_found.append(
                    Violation(
                        "must_have_departments",
                        competency.name,
                        _sentences(
                            f"{label} {have}; a must-have needs raters from at least "
                            f"{_number(need)} departments.",
                            _why_few_departments(problem, plan, competency, need),
                        ),
                    )
                )
        elif not raters:
            uncovered_found.append(
                Violation(
                    "uncovered",
                    competency.name,
                    _sentences(f"{label} has no rater.", _why_short(problem, plan, competency, 1)),
                )
            )
    return [*raters_found, *departments_found, *uncovered_found]


def _budget_violations(problem: _Problem, plan: _Seating) -> list[Violation]:
    budget = problem.rules.time_budget_minutes
    total = sum(s.duration_minutes for s in problem.sessions)
    if budget is None or total <= budget:
        return []
    must_haves = {c.name for c in problem.competencies if c.must_have}
    assessing = [s for s in problem.sessions if s.kinds] or list(problem.sessions)

    def rates_must_have(session: Session) -> bool:
        return any(
            name in must_haves
            for person_id in plan.seats[session.key]
            for name in plan.focus[person_id]
        )

    ranked = sorted(assessing, key=lambda s: (rates_must_have(s), -s.duration_minutes))
    listed = ", ".join(
        f"“{s.label}” ({s.duration_minutes} min{'' if rates_must_have(s) else ', no must-have'})"
        for s in ranked
    )
    kept = (
        ""
        if len(assessing) == len(problem.sessions)
        else (
            " Sessions that assess nothing (the candidate's questions, welcome and wrap-up) are left as they are."
        )
    )
    return [
        Violation(
            "time_budget",
            "loop",
            f"The loop takes {total} minutes, {total - budget} over the {budget}-minute budget. "
            f"Sessions that could be shortened, those rating no must-have and the longest first: "
            f"{listed}.{kept}",
        )
    ]


def _fresh_eyes_violations(problem: _Problem, plan: _Seating) -> list[Violation]:
    found = []
    for person in problem.interviewers:
        for name in plan.focus[person.id]:
            if problem.repeats(person.id, name) and person.id in plan.raters[name]:
                found.append(
                    Violation(
                        "fresh_eyes",
                        person.id,
                        f"{person.id} rated “{name}” in round one and rates it again, so this "
                        "rating is not a fresh view.",
                        severity="warning",
                    )
                )
    return found


# --- explanations -----------------------------------------------------------------------


def _departments(problem: _Problem, person_ids: Sequence[str]) -> list[str]:
    seen: list[str] = []
    for person_id in person_ids:
        department = problem.interviewer_by_id[person_id].department
        if department not in seen:
            seen.append(department)
    return seen


def _pool(problem: _Problem, competency: Competency) -> list[Interviewer]:
    """Who could rate the competency at all: eligible, qualified, with room for a focus."""
    return [
        p for p in problem.interviewers if problem.can_rate(p, competency) and problem.cap(p) > 0
    ]


def _can_rate(problem: _Problem, competency: Competency, *, plural: bool) -> str:
    """The verb phrase for who may rate a competency: qualified for it, or eligible for its kind."""
    if problem.qualified is not None:
        return f"{'are' if plural else 'is'} qualified to rate “{competency.name}”"
    return f"can assess {competency.kind} competencies"


def _with_departments(problem: _Problem, people: Sequence[Interviewer]) -> str:
    departments = _departments(problem, [p.id for p in people])
    names = _names([p.id for p in people])
    if len(departments) == 1:
        both = "both " if len(people) == 2 else "all " if len(people) > 2 else ""
        return f"{names} ({both}{departments[0]})"
    return _names([f"{p.id} ({p.department})" for p in people])


def _no_session_for(problem: _Problem, kind: str) -> str | None:
    if any(kind in s.kinds for s in problem.sessions):
        return None
    return f"No session in the loop assesses {kind} competencies."


def _too_few_seats(problem: _Problem, kind: str, need: int) -> str | None:
    sessions = [s for s in problem.sessions if kind in s.kinds]
    seats = sum(s.interviewers_needed for s in sessions)
    if seats >= need:
        return None
    labels = _names([f"“{s.label}”" for s in sessions])
    verb = "assesses" if len(sessions) == 1 else "assess"
    return f"Only {labels} {verb} {kind} competencies, with {_count(seats, 'seat')} in all."


def _why_short(problem: _Problem, plan: _Seating, competency: Competency, need: int) -> str:
    """Why a competency has fewer raters than ``need``: structure first, then this plan."""
    kind = competency.kind
    if (reason := _no_session_for(problem, kind)) is not None:
        return reason
    pool = _pool(problem, competency)
    available = [p for p in pool if p.available]
    if len(available) < need:
        if not pool:
            return f"No interviewer on the panel {_can_rate(problem, competency, plural=False)}."
        away = [p.id for p in pool if not p.available]
        can = _can_rate(problem, competency, plural=len(pool) > 1)
        sentence = f"Only {_with_departments(problem, pool)} {can}"
        if away:
            sentence += f", and {_names(away)} {'is' if len(away) == 1 else 'are'} unavailable"
        return sentence + "."
    if (reason := _too_few_seats(problem, kind, need)) is not None:
        return reason
    others = [p for p in available if p.id not in plan.raters[competency.name]]
    return _why_others_do_not(problem, plan, others, kind)


def _why_few_departments(
    problem: _Problem, plan: _Seating, competency: Competency, need: int
) -> str:
    kind = competency.kind
    if (reason := _no_session_for(problem, kind)) is not None:
        return reason
    pool = _pool(problem, competency)
    available = [p for p in pool if p.available]
    departments = _departments(problem, [p.id for p in available])
    if len(departments) < need:
        if not departments:
            return f"No available interviewer {_can_rate(problem, competency, plural=False)}."
        can = _can_rate(problem, competency, plural=True)
        sentence = f"Only {_names(departments)} interviewers on the panel {can}"
        away = [p for p in pool if not p.available and p.department not in departments]
        if away:
            sentence += f" ({_with_departments(problem, away)} unavailable)"
        return sentence + "."
    if (reason := _too_few_seats(problem, kind, need)) is not None:
        return reason
    rated = set(_departments(problem, plan.raters[competency.name]))
    others = [p for p in available if p.department not in rated]
    return _why_others_do_not(problem, plan, others, kind)


def _why_others_do_not(
    problem: _Problem, plan: _Seating, others: Sequence[Interviewer], kind: str
) -> str:
    """Say, for each interviewer who could add a rating, what stands in the way in this plan."""
    parts = []
    open_sessions = [
        s
        for s in problem.sessions
        if kind in s.kinds and len(plan.seats[s.key]) < s.interviewers_needed
    ]
    for person in others:
        keys = plan.sessions_of[person.id]
        if not keys:
            where = (
                f"is free to join “{open_sessions[0].label}”"
                if open_sessions
                else f"sits in no session and every session that assesses {kind} competencies is full"
            )
            parts.append(f"{person.id} {where}")
            continue
        session = problem.session_by_key[keys[0]]
        if kind not in session.kinds:
            parts.append(
                f"{person.id} sits in “{session.label}”, which does not assess {kind} competencies"
            )
        elif not plan.free_slot(problem, person):
            parts.append(
                f"{person.id} already has {_count(problem.cap(person), 'focus competency', 'focus competencies')}"
            )
        else:
            parts.append(f"{person.id} could add it in “{session.label}”")
    if not parts:
        return ""
    if len(parts) > _MAX_LISTED:
        parts = [*parts[:_MAX_LISTED], f"and {len(parts) - _MAX_LISTED} more"]
    return "Of the others who can assess it: " + "; ".join(parts) + "."


# --- words ------------------------------------------------------------------------------

#: Explanations name at most this many interviewers one by one.
_MAX_LISTED = 4

_NUMBER_WORDS = (
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
)


def _number(n: int) -> str:
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def _count(n: int, singular: str, plural: str | None = None) -> str:
    return f"{_number(n)} {singular if n == 1 else plural or singular + 's'}"


def _sentences(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _names(names: Sequence[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
