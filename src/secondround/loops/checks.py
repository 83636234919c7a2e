"""The coverage checks of a loop: the coverage engine asked about the plan as it stands,
and its verdicts stored on the plan in words (the page lists them)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from secondround.engines import coverage
from secondround.loops import planner
from secondround.loops.models import LoopPlan, Seat
from secondround.loops.selectors import panel

#: What each rule is called on the page (the engine's rule ids are for code, not people).
RULE_LABELS = {
    "session_staffing": _lazy("Seats"),
    "one_session": _lazy("One session each"),
    "session_kinds": _lazy("What a session assesses"),
    "eligibility": _lazy("Who can assess what"),
    "qualification": _lazy("Qualified raters"),
    "max_focus": _lazy("At most three focus competencies"),
    "must_have_raters": _lazy("Two raters for each must-have"),
    "must_have_departments": _lazy("Two departments for each must-have"),
    "uncovered": _lazy("Every competency rated"),
    "fresh_eyes": _lazy("Fresh eyes"),
    "time_budget": _lazy("Time budget"),
}


def store_checks(
    plan: LoopPlan, result: coverage.CoveragePlan, *, budget_problem: str = ""
) -> None:
    checks = []
    for v in result.violations:
        message = budget_problem if v.rule == "time_budget" and budget_problem else v.message
        checks.append(
            {"rule": v.rule, "label": str(RULE_LABELS.get(v.rule, v.rule)), "subject": v.subject,
             "message": message, "severity": v.severity}
        )  # fmt: skip
    plan.checks = checks
    plan.checked_at = timezone.now()
    plan.save()


def recheck(plan: LoopPlan) -> coverage.CoveragePlan:
    """Check the plan as it stands now, after the team's edits, and store what fails."""
    position = plan.position
    sessions = list(plan.sessions.all())
    seats = list(
        Seat.objects.filter(session__plan=plan)
        .select_related("session", "interviewer__department")
        .prefetch_related("competencies")
    )
    people = list(panel(position))
    known = {u.pk for u in people}
    people += list(
        {s.interviewer.pk: s.interviewer for s in seats if s.interviewer_id not in known}.values()
    )
    names = planner.people_names(people)
    result = coverage.check_coverage(
        assignments=[
            coverage.Assignment(
                session=planner.session_key(seat.session.order, seat.session.title),
                interviewer=names[seat.interviewer_id],
                competencies=tuple(c.name for c in seat.competencies.all()),
            )
            for seat in seats
            if seat.session.assesses
        ],
        sessions=[planner.engine_session_for(s, position, names) for s in sessions],
        interviewers=planner.engine_interviewers(people, names),
        competencies=planner.engine_competencies(position),
        rules=coverage.CoverageRules(time_budget_minutes=plan.time_budget_minutes),
        round_one_raters=planner.round_one_raters(position, names),
        qualified=planner.qualified_names(position, people, names),
    )
    store_checks(plan, result)
    return result
