"""The standard second-round loop: what each session is for, how long, and what it assesses."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from secondround.loops.models import SessionKind


@dataclass(frozen=True)
class SessionTemplate:
    kind: str
    title: object
    purpose: object
    duration_minutes: int
    competency_kinds: tuple[str, ...]
    interviewers_needed: int
    #: The least time the session still serves its purpose in, when the budget is tight.
    shortest_minutes: int


STANDARD_LOOP = (
    SessionTemplate(
        SessionKind.WELCOME, _("Welcome and the day ahead"),
        _("Make the candidate comfortable, walk through the day and who they will meet, "
          "and answer practical questions."),
        10, (), 0, 5,
    ),
    SessionTemplate(
        SessionKind.DEEP_DIVE, _("Role deep dive"),
        _("Go deeper than round one on the craft of the role: specific past work, decisions "
          "and trade-offs, and how the candidate reasons through a hard problem."),
        60, ("technical", "problem_solving"), 2, 30,
    ),
    SessionTemplate(
        SessionKind.SCENARIO, _("Role-specific scenario"),
        _("A practical exercise built for this role, with the same brief for every finalist."),
        60, ("role_specific", "problem_solving", "technical"), 1, 30,
    ),
    SessionTemplate(
        SessionKind.CROSS_DEPARTMENT, _("Working across departments"),
        _("Colleagues from other departments explore how the candidate works with people "
          "whose goals and language differ from theirs."),
        45, ("collaboration", "problem_solving", "role_specific"), 2, 30,
    ),
    SessionTemplate(
        SessionKind.VALUES, _("Values and culture with the team"),
        _("Future teammates discuss the company's mission and values and how they show "
          "in day-to-day work, with examples from the candidate's past."),
        45, ("values", "collaboration"), 2, 30,
    ),
    SessionTemplate(
        SessionKind.MANAGER, _("Conversation with the hiring manager"),
        _("Leadership, handling pressure, and the expectations of the role in its first "
          "months; the hiring manager also sets out how success is measured."),
        45, ("leadership", "stress", "role_specific"), 1, 30,
    ),
    SessionTemplate(
        SessionKind.CANDIDATE_QUESTIONS, _("Your questions"),
        _("Time reserved for the candidate's own questions about the role, the team, "
          "career progression and the company."),
        20, (), 0, 10,
    ),
    SessionTemplate(
        SessionKind.WRAP_UP, _("Wrap-up and next steps"),
        _("Thank the candidate, tell them exactly what happens next and when they will "
          "hear back, and ask how the day felt."),
        10, (), 0, 5,
    ),
)  # fmt: skip
