"""What a kit built from a posting assesses: the role family's competencies, the skills the
posting names, and -- when no family fits -- general competencies around those skills.

Kept apart from the selectors so the posting reader's benchmark builds exactly the same
competencies the kit page shows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from secondround.engines.posting import skill_named
from secondround.hiring.role_templates import CompetencyTemplate, RoleTemplate

SKILLS_COMPETENCY = "Skills this posting asks for"
MAX_SKILLS = 8
_MINUTES = re.compile(r"(\d{1,3})\s*(?:-\s*)?(min|minute|minutes|mins|hour|hours|hr|hrs)\b", re.I)


def _general(name: str, kind: str, description: str, anchors: Sequence[str]) -> CompetencyTemplate:
    return CompetencyTemplate(name, kind, description, 2, False, tuple(anchors))  # type: ignore[arg-type]


#: What every interview explores, for roles no built-in family fits.
GENERAL_COMPETENCIES = (
    _general("Solving problems in the work", "problem_solving",
             "Works out what is really wrong when something goes badly, and fixes the cause.",
             ["Cannot describe a problem they solved or how they knew it was solved.",
              "Fixes problems as they come but rarely looks for the cause behind them.",
              "Describes a real problem, how they found its cause and how they checked the fix.",
              "Gives several problems solved at the cause, with steps that stopped them recurring.",
              "Has solved problems others could not and changed how the work is done.",
              ]),
    _general("Working with others", "collaboration",
             "Works well with colleagues, customers and other teams, and shares what they know.",
             ["Describes colleagues as obstacles and gives no example of working well together.",
              "Cooperates when asked but shares little and rarely helps others.",
              "Gives a specific example of working with others to a good result.",
              "Brings people together across teams and resolves disagreements constructively.",
              "Has improved how a whole team or several teams work together.",
              ]),
    _general("Staying steady under pressure", "stress",
             "Stays calm, safe and clear when the work is busy, urgent or goes wrong.",
             ["Describes losing control or cutting corners when things got busy.",
              "Copes under pressure but quality or communication slips noticeably.",
              "Stays calm, keeps standards and tells people early when plans change.",
              "Keeps others steady in hard moments and plans ahead for busy periods.",
              "Is the person others rely on in the hardest moments of the job.",
              ]),
    _general("Doing the right thing", "values",
             "Is honest and reliable, owns mistakes and treats people with respect.",
             ["Describes hiding a mistake or bending rules without concern.",
              "Is honest when asked but does not volunteer problems.",
              "Owns mistakes openly and gives an example of acting on their values.",
              "Chose the harder right thing at a cost to themselves, with a clear reason.",
              "Sets an example of integrity that shapes the people around them.",
              ]),
)  # fmt: skip


def skills_competency(skills: Sequence[str]) -> CompetencyTemplate:
    """One competency naming the posting's skills, so the kit asks about each of them."""
    listed = ", ".join(skills)
    return _general(
        SKILLS_COMPETENCY,
        "technical",
        f"Hands-on use of the skills this posting names: {listed}.",
        [
            f"Cannot give an example of real work involving {listed}.",
            f"Has used some of {listed} but describes only what others decided.",
            f"Describes recent work with {listed}: what they did themselves and the result.",
            f"Gives specific examples of work involving {listed}, explains the choices made and how "
            "they checked the result was right.",
            f"Has taught others {listed} or improved how a team uses them, with evidence.",
        ],
    )


def shown_text(competency: CompetencyTemplate) -> str:
    """What the kit shows of a competency: its name, description and level-4 anchor."""
    return f"{competency.name}. {competency.description} {competency.anchors[3]}"


def posting_competencies(
    parsed: Mapping[str, Any], template: RoleTemplate | None
) -> list[CompetencyTemplate]:
    """The competencies of a posting kit: the family's own, then the posting's skills the
    family does not already name; without a family, the skills and general competencies."""
    skills = [str(s) for s in parsed.get("skills") or ()]
    if template is None:
        named = [skills_competency(skills[:MAX_SKILLS])] if skills else []
        return [*named, *GENERAL_COMPETENCIES]
    shown = [shown_text(c) for c in template.competencies]
    extra = [s for s in skills if not any(skill_named(s, t) for t in shown)][:MAX_SKILLS]
    return [*template.competencies, *([skills_competency(extra)] if extra else [])]


def step_title(step: str) -> str:
    """An interview step without the duration it states: "Call (30 minutes)" -> "Call"."""
    without = re.sub(r"\s*[(\[][^)\]]*" + _MINUTES.pattern + r"[^)\]]*[)\]]", "", step, flags=re.I)
    return without.strip(" -–—:,") or step


def step_minutes(step: str) -> int:
    """The minutes an interview step says it takes ("60-minute interview" -> 60), or 0."""
    match = _MINUTES.search(step)
    if not match:
        return 0
    amount = int(match.group(1))
    return amount * 60 if match.group(2).lower().startswith(("h",)) else amount
