"""Reference tests for the loop coverage planner (secondround.engines.coverage)."""

from __future__ import annotations

import itertools
import random
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secondround.engines.coverage import (
    Assignment,
    Competency,
    CoverageInputError,
    CoverageRules,
    Interviewer,
    Session,
    Violation,
    check_coverage,
    plan_coverage,
)

TECH, VALUES = "technical", "values"

SESSIONS = [
    Session(
        "welcome", "Welcome, then the next steps", 15, frozenset(), fixed_interviewers=("Rosa",)
    ),
    Session("tech", "Technical deep dive", 60, frozenset({TECH}), interviewers_needed=2),
    Session("culture", "Values with the future team", 45, frozenset({VALUES})),
]
PANEL = [
    Interviewer("Priya", "Engineering"),
    Interviewer("Tom", "Product"),
    Interviewer("Ana", "People"),
    Interviewer("Rosa", "Recruiting"),
]
ELIGIBLE = {
    "Priya": frozenset({TECH}),
    "Tom": frozenset({TECH}),
    "Ana": frozenset({VALUES}),
    "Rosa": frozenset(),
}
COMPETENCIES = [
    Competency("System design", TECH, must_have=True),
    Competency("Coding", TECH),
    Competency("Culture add", VALUES),
]


def plan(**changes):
    arguments: dict[str, Any] = {
        "sessions": SESSIONS,
        "interviewers": PANEL,
        "competencies": COMPETENCIES,
        "eligible": ELIGIBLE,
        "round_one_raters": {"Priya": frozenset({"Coding"})},
    }
    arguments.update(changes)
    return plan_coverage(**arguments), arguments


def by_rule(result, rule: str) -> Violation:
    (found,) = [v for v in result.violations if v.rule == rule]
    return found


def rules_broken(result) -> list[tuple[str, str]]:
    return [(v.rule, v.subject) for v in result.violations]


def test_reference_loop_is_planned_exactly() -> None:
    result, _ = plan()
    assert result.assignments == (
        Assignment("welcome", "Rosa", ()),
        Assignment("tech", "Priya", ("System design",)),
        # Priya rated Coding in round one, so Tom takes it (fresh eyes)
        Assignment("tech", "Tom", ("System design", "Coding")),
        Assignment("culture", "Ana", ("Culture add",)),
    )
    assert result.violations == ()
    assert result.ok is True
    assert result.proven_optimal is True
    assert result.raters == {
        "System design": ("Priya", "Tom"),
        "Coding": ("Tom",),
        "Culture add": ("Ana",),
    }
    assert result.load_minutes == {"Priya": 60, "Tom": 60, "Ana": 45, "Rosa": 15}
    assert result.focus_counts == {"Priya": 1, "Tom": 2, "Ana": 1, "Rosa": 0}
    assert result.total_minutes == 120


def test_checking_a_proposal_gives_back_the_proposal() -> None:
    result, arguments = plan(rules=CoverageRules(time_budget_minutes=100))
    arguments.pop("rules")
    checked = check_coverage(
        assignments=list(reversed(result.assignments)),
        rules=CoverageRules(time_budget_minutes=100),
        **arguments,
    )
    assert checked.assignments == result.assignments
    assert checked.violations == result.violations
    assert (checked.raters, checked.load_minutes, checked.ok) == (
        result.raters,
        result.load_minutes,
        result.ok,
    )
    assert checked.proven_optimal is None


def test_fresh_eyes_are_warned_only_when_they_cannot_be_had() -> None:
    round_one = {"Priya": frozenset({"System design"})}
    result, _ = plan(round_one_raters=round_one)
    # System design needs both technical interviewers, so Priya must rate it again
    assert result.violations == (
        Violation(
            "fresh_eyes",
            "Priya",
            "Priya rated “System design” in round one and rates it again, so this rating "
            "is not a fresh view.",
            severity="warning",
        ),
    )
    assert result.ok is True
    assert result.warnings == result.violations
    assert result.errors == ()
    # ... and the preference can be switched off
    result, _ = plan(round_one_raters=round_one, rules=CoverageRules(prefer_fresh_eyes=False))
    assert result.violations == ()


def test_one_department_on_the_panel_breaks_the_departments_rule() -> None:
    panel = [*PANEL[:1], Interviewer("Tom", "Engineering"), *PANEL[2:]]
    result, _ = plan(interviewers=panel)
    assert result.raters["System design"] == ("Priya", "Tom")
    assert result.violations == (
        Violation(
            "must_have_departments",
            "System design",
            "“System design” is rated from one department only (Engineering); a must-have "
            "needs raters from at least two departments. Only Engineering interviewers on "
            "the panel can assess technical competencies.",
        ),
    )
    assert result.ok is False


def test_one_eligible_interviewer_breaks_the_raters_rule() -> None:
    eligible = {**ELIGIBLE, "Tom": frozenset({VALUES})}
    result, _ = plan(eligible=eligible)
    assert rules_broken(result)[:2] == [
        ("must_have_raters", "System design"),
        ("must_have_departments", "System design"),
    ]
    assert result.violations[0].message == (
        "“System design” has only one rater (Priya); a must-have needs at least two "
        "independent raters. Only Priya (Engineering) can assess technical competencies."
    )


def test_an_unavailable_interviewer_is_named_as_the_reason() -> None:
    panel = [
        Interviewer("Priya", "Engineering"),
        Interviewer("Tom", "Engineering", available=False),
        *PANEL[2:],
    ]
    result, _ = plan(interviewers=panel)
    assert by_rule(result, "must_have_raters") == Violation(
        "must_have_raters",
        "System design",
        "“System design” has only one rater (Priya); a must-have needs at least two independent "
        "raters. Only Priya and Tom (both Engineering) can assess technical competencies, and "
        "Tom is unavailable.",
    )
    assert all(a.interviewer != "Tom" for a in result.assignments)


def test_a_kind_no_session_assesses_is_uncovered() -> None:
    competencies = [*COMPETENCIES, Competency("Negotiation", "sales")]
    result, _ = plan(competencies=competencies)
    assert result.violations == (
        Violation(
            "uncovered",
            "Negotiation",
            "“Negotiation” has no rater. No session in the loop assesses sales competencies.",
        ),
    )
    assert result.raters["Negotiation"] == ()


def test_too_few_seats_for_a_must_have_is_explained() -> None:
    sessions = [SESSIONS[0], SESSIONS[1], SESSIONS[2]]
    sessions[2] = Session("culture", "Values", 45, frozenset({VALUES}), title="Values talk")
    competencies = [*COMPETENCIES[:2], Competency("Culture add", VALUES, must_have=True)]
    eligible = {**ELIGIBLE, "Tom": frozenset({TECH, VALUES})}
    result, _ = plan(sessions=sessions, competencies=competencies, eligible=eligible)
    assert by_rule(result, "must_have_raters") == Violation(
        "must_have_raters",
        "Culture add",
        "“Culture add” has only one rater (Ana); a must-have needs at least two independent "
        "raters. Only “Values talk” assesses values competencies, with one seat in all.",
    )


def test_time_budget_exceeded_names_the_sessions_to_shorten() -> None:
    result, _ = plan(rules=CoverageRules(time_budget_minutes=100))
    assert result.violations == (
        Violation(
            "time_budget",
            "loop",
            "The loop takes 120 minutes, 20 over the 100-minute budget. Sessions that could be "
            "shortened, those rating no must-have and the longest first: “culture” (45 min, no "
            "must-have), “tech” (60 min). Sessions that assess nothing (the candidate's "
            "questions, welcome and wrap-up) are left as they are.",
        ),
    )
    assert plan(rules=CoverageRules(time_budget_minutes=120))[0].violations == ()


def test_short_staffed_sessions_and_an_unavailable_fixed_interviewer() -> None:
    panel = [*PANEL[:3], Interviewer("Rosa", "Recruiting", available=False)]
    result, _ = plan(interviewers=panel)
    assert rules_broken(result) == [
        ("session_staffing", "welcome"),
        ("session_staffing", "welcome"),
    ]
    assert [v.message for v in result.violations] == [
        "“welcome” is meant for Rosa, who is unavailable.",
        "“welcome” needs one interviewer and has 0: the panel has only three available "
        "interviewers for four seats in the loop; add interviewers to the panel.",
    ]
    # the technical and values sessions still get their people
    assert result.raters["System design"] == ("Priya", "Tom")


def test_focus_limit_is_respected_and_what_it_costs_is_reported() -> None:
    result, _ = plan(rules=CoverageRules(max_focus_per_interviewer=1))
    assert max(result.focus_counts.values()) == 1
    assert result.violations == (
        Violation(
            "uncovered",
            "Coding",
            "“Coding” has no rater. Of the others who can assess it: Priya already has one "
            "focus competency; Tom already has one focus competency.",
        ),
    )


def test_check_after_a_swap_finds_the_new_violation() -> None:
    result, arguments = plan()
    assert result.ok
    # the team brings in Sam, a second engineer, in Tom's place
    arguments["interviewers"] = [*PANEL, Interviewer("Sam", "Engineering")]
    arguments["eligible"] = {**ELIGIBLE, "Sam": frozenset({TECH})}
    swapped = [
        Assignment(a.session, "Sam", a.competencies) if a.interviewer == "Tom" else a
        for a in result.assignments
    ]
    checked = check_coverage(assignments=swapped, **arguments)
    assert checked.violations == (
        Violation(
            "must_have_departments",
            "System design",
            "“System design” is rated from one department only (Engineering); a must-have needs "
            "raters from at least two departments. Of the others who can assess it: Tom sits in "
            "no session and every session that assesses technical competencies is full.",
        ),
    )
    assert checked.load_minutes["Sam"] == 60 and checked.load_minutes["Tom"] == 0


def test_check_reports_edits_that_break_hard_rules() -> None:
    _, arguments = plan()
    edited = [
        Assignment("welcome", "Ana", ()),
        Assignment("tech", "Priya", ("System design", "Coding", "Culture add")),
        Assignment("tech", "Ana", ("System design",)),
        Assignment("culture", "Tom", ("Culture add",)),
    ]
    checked = check_coverage(
        assignments=edited, rules=CoverageRules(max_focus_per_interviewer=2), **arguments
    )
    assert rules_broken(checked) == [
        ("session_staffing", "welcome"),
        ("one_session", "Ana"),
        ("session_kinds", "tech"),
        ("eligibility", "Priya"),
        ("eligibility", "Ana"),
        ("eligibility", "Tom"),
        ("max_focus", "Priya"),
        ("must_have_raters", "System design"),
        ("must_have_departments", "System design"),
        ("uncovered", "Culture add"),
        ("fresh_eyes", "Priya"),
    ]
    messages = {(v.rule, v.subject): v.message for v in checked.violations}
    assert (
        messages["session_staffing", "welcome"] == "“welcome” is meant for Rosa, who is not in it."
    )
    assert messages["one_session", "Ana"] == (
        "Ana sits in “welcome” and “tech”; each interviewer has one conversation per loop."
    )
    assert messages["session_kinds", "tech"] == (
        "“tech” assesses technical, not values competencies, so Priya's rating of "
        "“Culture add” there does not count."
    )
    assert messages["max_focus", "Priya"] == (
        "Priya has three focus competencies; at most 2 so that each gets real time."
    )
    # invalid ratings do not count as coverage
    assert checked.raters == {"System design": ("Priya",), "Coding": ("Priya",), "Culture add": ()}
    assert checked.load_minutes == {"Priya": 60, "Tom": 45, "Ana": 75, "Rosa": 0}


def test_check_reports_overfull_sessions_and_unavailable_people() -> None:
    panel = [*PANEL[:3], Interviewer("Rosa", "Recruiting", available=False)]
    _, arguments = plan(interviewers=panel)
    edited = [
        Assignment("welcome", "Rosa", ()),
        Assignment("tech", "Priya", ("System design",)),
        Assignment("tech", "Tom", ("System design", "Coding")),
        Assignment("culture", "Ana", ("Culture add",)),
    ]
    checked = check_coverage(assignments=edited, **arguments)
    assert [v.message for v in checked.violations] == [
        "“welcome” is meant for Rosa, who is unavailable.",
        "Rosa sits in “welcome” but is unavailable.",
    ]
    overfull = [*edited[1:], Assignment("culture", "Rosa", ())]
    arguments["interviewers"] = PANEL
    checked = check_coverage(assignments=overfull, **arguments)
    assert [v.message for v in checked.violations] == [
        "“welcome” is meant for Rosa, who is not in it.",
        "“welcome” needs one interviewer and has 0: every available interviewer already "
        "sits in another session (one session each).",
        "“culture” seats one interviewer but has 2 (Ana and Rosa); raise its interviewers "
        "needed or move someone.",
    ]


def test_a_fixed_interviewer_always_sits_in_their_session() -> None:
    sessions = [
        *SESSIONS,
        Session(
            "hm",
            "Hiring manager: leadership and expectations",
            45,
            frozenset({TECH}),
            fixed_interviewers=("Dana",),
        ),
    ]
    panel = [*PANEL, Interviewer("Dana", "Engineering")]
    result, _ = plan(sessions=sessions, interviewers=panel)
    assert Assignment("hm", "Dana", ("Coding",)) in result.assignments
    assert result.ok


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"sessions": []}, "sessions is empty"),
        (
            {"sessions": [SESSIONS[0], SESSIONS[0]]},
            "sessions[1] ('welcome'): the key is used twice",
        ),
        (
            {"sessions": [Session("x", "p", 0, frozenset())]},
            "sessions[0] ('x'): duration_minutes must be a whole number of at least 1, got 0",
        ),
        ({"sessions": [Session("x", "p", 30, "technical")]}, "kinds must be a set of kind names"),  # type: ignore[arg-type]
        (
            {"sessions": [Session("x", "p", 30, frozenset(), fixed_interviewers=("Nobody",))]},
            "fixed interviewer 'Nobody' is not among the interviewers",
        ),
        (
            {"sessions": [Session("x", "p", 30, frozenset(), 1, ("Priya", "Tom"))]},
            "2 fixed interviewers but the session seats only 1",
        ),
        (
            {
                "sessions": [
                    Session("a", "p", 30, frozenset(), 1, ("Priya",)),
                    Session("b", "p", 30, frozenset(), 1, ("Priya",)),
                ]
            },
            "sessions[1] ('b'): 'Priya' is already fixed to session 'a'",
        ),
        ({"interviewers": [PANEL[0], PANEL[0]]}, "interviewers[1]: 'Priya' is listed twice"),
        (
            {"interviewers": [Interviewer("Priya", "")]},
            "interviewers[0] ('Priya'): department must be a non-empty string",
        ),
        (
            {"interviewers": [Interviewer("Priya", "Eng", max_focus=-1)]},
            "max_focus must be a whole number of at least 0, got -1",
        ),
        (
            {"competencies": [COMPETENCIES[0], COMPETENCIES[0]]},
            "competencies[1]: 'System design' is listed twice",
        ),
        (
            {"competencies": [Competency("X", "")]},
            "competencies[0] ('X'): kind must be a non-empty string",
        ),
        (
            {"competencies": [Competency("X", TECH, weight=-1)]},
            "weight must be a positive number, got -1",
        ),
        (
            {"rules": CoverageRules(min_raters_must_have=0)},
            "rules.min_raters_must_have must be a whole number of at least 1, got 0",
        ),
        (
            {"rules": CoverageRules(time_budget_minutes=-5)},
            "rules.time_budget_minutes must be None or a whole number",
        ),
        ({"eligible": {"Zed": frozenset({TECH})}}, "eligible names unknown interviewer 'Zed'"),
        ({"eligible": {"Priya": TECH}}, "eligible['Priya'] must be a set of kinds, not one string"),
    ],
)
def test_bad_input_is_rejected_naming_what_and_where(changes, fragment) -> None:
    with pytest.raises(CoverageInputError) as error:
        plan(**changes)
    assert fragment in str(error.value)


@pytest.mark.parametrize(
    ("assignment", "fragment"),
    [
        (
            Assignment("lunch", "Priya", ()),
            "assignments[0] ('lunch', 'Priya'): unknown session 'lunch'",
        ),
        (Assignment("tech", "Zed", ()), "unknown interviewer 'Zed'"),
        (Assignment("tech", "Priya", ("Cobol",)), "unknown competency 'Cobol'"),
        (Assignment("tech", "Priya", ("Coding", "Coding")), "a competency is listed twice"),
    ],
)
def test_bad_assignments_are_rejected(assignment, fragment) -> None:
    _, arguments = plan()
    with pytest.raises(CoverageInputError) as error:
        check_coverage(assignments=[assignment], **arguments)
    assert fragment in str(error.value)
    assert error.value.field == "assignments"


def test_a_repeated_pair_is_rejected() -> None:
    _, arguments = plan()
    twice = [Assignment("tech", "Priya", ()), Assignment("tech", "Priya", ("Coding",))]
    with pytest.raises(
        CoverageInputError, match=r"assignments\[1\].*assigned to this session twice"
    ):
        check_coverage(assignments=twice, **arguments)


def test_round_one_history_of_people_outside_the_loop_is_ignored() -> None:
    result, _ = plan(
        round_one_raters={"Gone": frozenset({"Coding"}), "Priya": frozenset({"Old skill"})}
    )
    assert result.ok and result.violations == ()


# --- the issue's full loop, and speed ---------------------------------------------------


def large_loop(seed: int):
    """10 sessions × 15 interviewers × 10 competencies, with eligibility and history."""
    rnd = random.Random(seed)
    kinds = [TECH, "scenario", "collaboration", VALUES, "leadership"]
    departments = ["Engineering", "Product", "Design", "Sales", "People"]
    competencies = [Competency(f"C{k}", kinds[k % 5], must_have=k < 4) for k in range(10)]
    people = [Interviewer(f"I{k}", departments[k % 5]) for k in range(15)]
    sessions = [
        Session(
            f"S{k}",
            "purpose",
            45 + 15 * (k % 3),
            frozenset(rnd.sample(kinds, 2)) if k < 8 else frozenset(),
            interviewers_needed=1 + k % 2,
        )
        for k in range(10)
    ]
    names = [c.name for c in competencies]
    return {
        "sessions": sessions,
        "interviewers": people,
        "competencies": competencies,
        "round_one_raters": {p.id: frozenset(rnd.sample(names, 3)) for p in people},
        "eligible": {p.id: frozenset(rnd.sample(kinds, 3)) for p in people},
    }


@pytest.mark.parametrize("seed", range(3))
def test_a_ten_by_fifteen_by_ten_loop_is_solved_to_optimality_quickly(seed) -> None:
    arguments = large_loop(seed)
    started = time.perf_counter()
    result = plan_coverage(**arguments)
    elapsed = time.perf_counter() - started
    assert result.proven_optimal is True
    assert elapsed < 5.0  # typically 0.1–0.4 s; generous for a busy CI machine
    assert_hard_rules_hold(result, arguments)
    assert (
        check_coverage(assignments=result.assignments, **arguments).violations == result.violations
    )


# --- properties: hard rules always hold; the optimum matches brute force ----------------


def assert_hard_rules_hold(result, arguments) -> None:
    rules = arguments.get("rules", CoverageRules())
    sessions = {s.key: s for s in arguments["sessions"]}
    people = {p.id: p for p in arguments["interviewers"]}
    kinds = {c.name: c.kind for c in arguments["competencies"]}
    eligible = arguments.get("eligible") or {}
    seen: set[str] = set()
    for a in result.assignments:
        person = people[a.interviewer]
        assert person.available
        assert a.interviewer not in seen  # one session each
        seen.add(a.interviewer)
        assert len(a.competencies) <= min(person.max_focus, rules.max_focus_per_interviewer)
        for name in a.competencies:
            assert kinds[name] in sessions[a.session].kinds
            assert kinds[name] in eligible.get(a.interviewer, {kinds[name]})
    for session in sessions.values():
        seated = [a.interviewer for a in result.assignments if a.session == session.key]
        assert len(seated) <= session.interviewers_needed
        for fixed in session.fixed_interviewers:
            assert (fixed in seated) == people[fixed].available
    hard = {"one_session", "session_kinds", "eligibility", "max_focus"}
    assert not hard & {v.rule for v in result.violations}


def objective_key(assignments, arguments) -> tuple[int, ...]:
    """The planner's lexicographic objective, written out independently for brute force."""
    rules = arguments.get("rules", CoverageRules())
    sessions = arguments["sessions"]
    people = {p.id: p for p in arguments["interviewers"]}
    round_one = arguments.get("round_one_raters", {})
    seats = {s.key: 0 for s in sessions}
    raters: dict[str, list[str]] = {c.name: [] for c in arguments["competencies"]}
    fresh = idle = load = 0
    for session_key, person_id, focus in assignments:
        seats[session_key] += 1
        for name in focus:
            raters[name].append(person_id)
            fresh += name in round_one.get(person_id, ())
        session = next(s for s in sessions if s.key == session_key)
        idle += bool(session.kinds) and not focus
        load += len(focus) * (len(focus) - 1) // 2
    shortfall = sum(s.interviewers_needed - seats[s.key] for s in sessions)
    missing_raters = missing_departments = uncovered = 0
    for competency in arguments["competencies"]:
        who = raters[competency.name]
        if competency.must_have:
            missing_raters += max(0, rules.min_raters_must_have - len(who))
            departments = {people[p].department for p in who}
            missing_departments += max(0, rules.min_departments_must_have - len(departments))
        else:
            uncovered += not who
    return (shortfall, missing_raters, missing_departments, uncovered, fresh, idle, load)


def brute_force_best(arguments) -> tuple[int, ...]:
    rules = arguments.get("rules", CoverageRules())
    sessions = arguments["sessions"]
    eligible = arguments.get("eligible") or {}
    fixed = {p: s.key for s in sessions for p in s.fixed_interviewers}
    options_per_person = []
    for person in arguments["interviewers"]:
        if not person.available:
            continue
        cap = min(person.max_focus, rules.max_focus_per_interviewer)
        options: list[tuple[str, str, tuple[str, ...]] | None] = (
            [] if person.id in fixed else [None]
        )
        for session in sessions:
            if person.id in fixed and fixed[person.id] != session.key:
                continue
            possible = [
                c.name
                for c in arguments["competencies"]
                if c.kind in session.kinds and c.kind in eligible.get(person.id, {c.kind})
            ]
            for size in range(min(cap, len(possible)) + 1):
                for focus in itertools.combinations(possible, size):
                    options.append((session.key, person.id, focus))
        options_per_person.append(options)
    best = None
    for combination in itertools.product(*options_per_person):
        chosen = [option for option in combination if option is not None]
        counts: dict[str, int] = {}
        for session_key, _, _ in chosen:
            counts[session_key] = counts.get(session_key, 0) + 1
        if any(counts.get(s.key, 0) > s.interviewers_needed for s in sessions):
            continue
        key = objective_key(chosen, arguments)
        best = key if best is None or key < best else best
    assert best is not None
    return best


@st.composite
def small_loops(draw):
    kinds = ["t", "v"]
    n_sessions = draw(st.integers(1, 2))
    n_people = draw(st.integers(1, 3))
    people = [
        Interviewer(
            f"P{k}",
            draw(st.sampled_from(["Eng", "Ops"])),
            max_focus=draw(st.integers(0, 2)),
            available=draw(st.booleans() | st.just(True)),
        )
        for k in range(n_people)
    ]
    competencies = [
        Competency(f"C{k}", draw(st.sampled_from(kinds)), must_have=draw(st.booleans()))
        for k in range(draw(st.integers(1, 3)))
    ]
    fixed_person = draw(st.none() | st.sampled_from([p.id for p in people]))
    sessions = []
    for k in range(n_sessions):
        fixed = (fixed_person,) if fixed_person is not None and k == 0 else ()
        sessions.append(
            Session(
                f"S{k}",
                "purpose",
                draw(st.integers(15, 60)),
                frozenset(draw(st.sets(st.sampled_from(kinds)))),
                interviewers_needed=draw(st.integers(len(fixed), 2)),
                fixed_interviewers=fixed,
            )
        )
    names = [c.name for c in competencies]
    eligible = {
        p.id: frozenset(draw(st.sets(st.sampled_from(kinds))))
        for p in people
        if draw(st.booleans())
    }
    round_one = {p.id: frozenset(draw(st.sets(st.sampled_from(names)))) for p in people}
    rules = CoverageRules(
        min_raters_must_have=draw(st.integers(1, 2)),
        min_departments_must_have=draw(st.integers(1, 2)),
        max_focus_per_interviewer=draw(st.integers(1, 2)),
        time_budget_minutes=draw(st.none() | st.integers(30, 120)),
    )
    return {
        "sessions": sessions,
        "interviewers": people,
        "competencies": competencies,
        "eligible": eligible,
        "round_one_raters": round_one,
        "rules": rules,
    }


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arguments=small_loops())
def test_plans_keep_the_hard_rules_and_reach_the_brute_force_optimum(arguments) -> None:
    result = plan_coverage(**arguments)
    assert result.proven_optimal is True
    assert_hard_rules_hold(result, arguments)
    found = objective_key(
        [(a.session, a.interviewer, a.competencies) for a in result.assignments], arguments
    )
    assert found == brute_force_best(arguments)
    checked = check_coverage(assignments=result.assignments, **arguments)
    assert checked.violations == result.violations
    assert result.ok == (not [v for v in result.violations if v.severity == "error"])
    assert result.total_minutes == sum(s.duration_minutes for s in arguments["sessions"])


def test_the_issue_loop_for_a_backend_engineer() -> None:
    """The sessions the issue lists (welcome and wrap-up as one), an 11-person panel."""
    sessions = [
        Session(
            "welcome",
            "Welcome, agenda and next steps",
            15,
            frozenset(),
            fixed_interviewers=("Rosa",),
        ),
        Session("deep_dive", "Technical deep dive on past work", 60, frozenset({TECH}), 2),
        Session(
            "scenario",
            "Role-specific scenario: an outage",
            60,
            frozenset({TECH, "problem_solving"}),
            2,
        ),
        Session("cross", "Working with product and support", 45, frozenset({"collaboration"}), 2),
        Session(
            "values",
            "Values and culture with the future team",
            45,
            frozenset({VALUES, "collaboration"}),
            2,
        ),
        Session(
            "hm",
            "Leadership, stress and expectations",
            45,
            frozenset({"leadership", VALUES}),
            1,
            ("Dana",),
        ),
        Session("questions", "The candidate's own questions", 30, frozenset()),
    ]
    panel = [
        Interviewer("Dana", "Engineering"),  # hiring manager
        Interviewer("Priya", "Engineering"),
        Interviewer("Tom", "Engineering"),
        Interviewer("Lee", "Platform"),
        Interviewer("Mo", "Platform"),
        Interviewer("Kim", "Product"),
        Interviewer("Sol", "Support"),
        Interviewer("Ana", "People"),
        Interviewer("Rosa", "People"),
        Interviewer("Jo", "Product"),
        Interviewer("Eve", "Product"),  # one conversation each, so questions need an 11th
    ]
    eligible = {
        "Priya": frozenset({TECH, "problem_solving"}),
        "Tom": frozenset({TECH, "problem_solving"}),
        "Lee": frozenset({TECH, "problem_solving", VALUES}),
        "Mo": frozenset({TECH, "collaboration"}),
        "Kim": frozenset({"collaboration", VALUES}),
        "Sol": frozenset({"collaboration"}),
        "Ana": frozenset({VALUES, "collaboration"}),
        "Rosa": frozenset(),
        "Jo": frozenset({"collaboration", VALUES}),
        "Eve": frozenset({"collaboration"}),
    }
    competencies = [
        Competency("System design", TECH, must_have=True, weight=3),
        Competency("Debugging", "problem_solving", must_have=True, weight=2),
        Competency("Code quality", TECH),
        Competency("Cross-team work", "collaboration", must_have=True),
        Competency("Ownership", VALUES, must_have=True),
        Competency("Leading under pressure", "leadership"),
    ]
    arguments: dict[str, Any] = {
        "sessions": sessions,
        "interviewers": panel,
        "competencies": competencies,
        "eligible": eligible,
        "round_one_raters": {
            "Priya": frozenset({"System design"}),
            "Kim": frozenset({"Ownership"}),
        },
        "rules": CoverageRules(time_budget_minutes=300),
    }
    result = plan_coverage(**arguments)
    assert result.violations == ()
    assert result.total_minutes == 300
    assert_hard_rules_hold(result, arguments)
    assert Assignment("hm", "Dana", ("Leading under pressure",)) in result.assignments
    departments = {p.id: p.department for p in panel}
    for competency in competencies:
        raters = result.raters[competency.name]
        if competency.must_have:
            assert len(raters) >= 2 and len({departments[r] for r in raters}) >= 2
    # fresh eyes: Priya does not rate System design again, Kim not Ownership
    assert "Priya" not in result.raters["System design"]
    assert "Kim" not in result.raters["Ownership"]
    assert max(result.focus_counts.values()) <= 2


# --- qualified raters, kept seats, an empty panel ----------------------------------------

DESIGN_LOOP = [
    Session("deep", "Deep dive", 60, frozenset({TECH}), interviewers_needed=2),
    Session("values", "Values", 45, frozenset({VALUES}), interviewers_needed=2),
]
MIXED_PANEL = [
    Interviewer("Priya", "Engineering"),
    Interviewer("Grace", "Platform"),
    Interviewer("Ines", "Clinical"),
    Interviewer("Noah", "Finance"),
]
DESIGN = [Competency("System design", TECH, must_have=True), Competency("Values", VALUES)]


def test_only_qualified_raters_are_seated_and_a_short_department_rule_is_reported() -> None:
    qualified = {
        "Priya": {"System design", "Values"},
        "Grace": {"System design", "Values"},
        "Ines": {"Values"},
        "Noah": {"Values"},
    }
    result = plan_coverage(
        sessions=DESIGN_LOOP, interviewers=MIXED_PANEL, competencies=DESIGN, qualified=qualified
    )
    assert set(result.raters["System design"]) == {"Priya", "Grace"}
    deep = [a.interviewer for a in result.assignments if a.session == "deep"]
    assert sorted(deep) == ["Grace", "Priya"]  # the nurse and finance partner are not there
    assert result.ok

    # With one qualified engineer, the rule is reported, never met by the unqualified.
    qualified["Grace"] = {"Values"}
    result = plan_coverage(
        sessions=DESIGN_LOOP, interviewers=MIXED_PANEL, competencies=DESIGN, qualified=qualified
    )
    assert result.raters["System design"] == ("Priya",)
    assert [a.interviewer for a in result.assignments if a.session == "deep"] == ["Priya"]
    assert by_rule(result, "must_have_raters").message == (
        "“System design” has only one rater (Priya); a must-have needs at least two "
        "independent raters. Only Priya (Engineering) is qualified to rate “System design”."
    )
    staffing = by_rule(result, "session_staffing").message
    assert "free but not qualified to rate anything it assesses" in staffing


def test_someone_missing_from_qualified_rates_nothing_and_checks_say_why() -> None:
    result = check_coverage(
        assignments=[Assignment("deep", "Noah", ("System design",))],
        sessions=DESIGN_LOOP,
        interviewers=MIXED_PANEL,
        competencies=DESIGN,
        qualified={"Priya": {"System design"}},
    )
    assert result.raters["System design"] == ()
    assert by_rule(result, "qualification").message == (
        "Noah is not qualified to rate “System design”, so their rating of it does not count."
    )


def test_kept_seats_stay_exactly_and_the_rest_is_planned_around_them() -> None:
    kept = [Assignment("values", "Priya", ("Values",))]
    result = plan_coverage(
        sessions=DESIGN_LOOP, interviewers=MIXED_PANEL, competencies=DESIGN, keep=kept
    )
    assert Assignment("values", "Priya", ("Values",)) in result.assignments
    assert [a.session for a in result.assignments if a.interviewer == "Priya"] == ["values"]
    # a kept seat that breaks a rule is kept, and the rule reported
    kept = [Assignment("deep", "Priya", ("System design",)), Assignment("deep", "Grace", ())]
    kept.append(Assignment("deep", "Ines", ()))
    result = plan_coverage(
        sessions=DESIGN_LOOP, interviewers=MIXED_PANEL, competencies=DESIGN, keep=kept
    )
    assert sorted(a.interviewer for a in result.assignments if a.session == "deep") == [
        "Grace",
        "Ines",
        "Priya",
    ]
    staffing = [v.message for v in result.violations if v.rule == "session_staffing"]
    assert any("seats two interviewers but has 3" in m for m in staffing), staffing


def test_one_person_kept_in_two_sessions_is_kept_and_reported() -> None:
    result = plan_coverage(
        sessions=DESIGN_LOOP,
        interviewers=MIXED_PANEL,
        competencies=DESIGN,
        keep=[Assignment("deep", "Priya", ()), Assignment("values", "Priya", ())],
    )
    assert [a.session for a in result.assignments if a.interviewer == "Priya"] == [
        "deep",
        "values",
    ]
    assert by_rule(result, "one_session").subject == "Priya"


def test_an_empty_panel_is_not_said_to_sit_in_other_sessions() -> None:
    result = plan_coverage(sessions=DESIGN_LOOP, interviewers=[], competencies=DESIGN)
    assert "the panel has no available interviewer" in result.violations[0].message
    assert "already sits in another session" not in " ".join(v.message for v in result.violations)
