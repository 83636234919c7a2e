"""How far the candidate's preparation has come: story coverage, practice progress, readiness."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from secondround.prep.content import CompetencyBrief, KitContent
from secondround.prep.models import (
    PracticeAttempt,
    PrepKit,
    Story,
    StoryKind,
)


@dataclass(frozen=True)
class CoverageRow:
    competency: CompetencyBrief
    complete: tuple[Story, ...]
    drafts: tuple[Story, ...]

    @property
    def status(self) -> str:
        """covered (a complete story), draft (only unfinished ones) or missing."""
        return "covered" if self.complete else "draft" if self.drafts else "missing"


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class Coverage:
    rows: tuple[CoverageRow, ...]
    kinds: tuple[KindCount, ...]
    stories: tuple[Story, ...]

    @property
    def uncovered(self) -> list[str]:
        return [r.competency.name for r in self.rows if r.status != "covered"]

    @property
    def missing_kinds(self) -> list[KindCount]:
        return [k for k in self.kinds if k.count == 0]


def story_coverage(kit: PrepKit, content: KitContent) -> Coverage:
    stories = tuple(kit.stories.all())
    rows = tuple(
        CoverageRow(
            competency=c,
            complete=tuple(s for s in stories if c.name in s.competencies and s.is_complete),
            drafts=tuple(s for s in stories if c.name in s.competencies and not s.is_complete),
        )
        for c in content.competencies
    )
    kinds = tuple(
        KindCount(value, str(label), sum(1 for s in stories if s.kind == value))
        for value, label in StoryKind.choices
    )
    return Coverage(rows=rows, kinds=kinds, stories=stories)


# --- practice progress and readiness -----------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    label: str
    attempts: int
    first: float
    latest: float
    best: float
    latest_star: int

    @property
    def trend(self) -> str:
        if self.attempts < 2:
            return "new"
        delta = self.latest - self.first
        return "up" if delta > 0.05 else "down" if delta < -0.05 else "steady"


def _progress(label: str, attempts: list[PracticeAttempt]) -> Progress:
    ordered = sorted(attempts, key=lambda a: (a.created_at, a.pk))
    return Progress(
        label=label,
        attempts=len(ordered),
        first=ordered[0].score,
        latest=ordered[-1].score,
        best=max(a.score for a in ordered),
        latest_star=ordered[-1].star_parts,
    )


def progress_by_question(kit: PrepKit) -> list[Progress]:
    groups: dict[str, list[PracticeAttempt]] = defaultdict(list)
    for a in kit.attempts.all():
        groups[a.question].append(a)
    return [_progress(q, attempts) for q, attempts in groups.items()]


@dataclass(frozen=True)
class Readiness:
    competency: str
    has_story: bool
    attempts: int
    recent_best: float
    level: str  # ready, almost, started, not_started

    @property
    def level_label(self) -> str:
        return str(READINESS_LABELS[self.level])


READINESS_LABELS = {
    "ready": _("Ready"),
    "almost": _("Almost there"),
    "started": _("Started"),
    "not_started": _("Not started"),
}
READY_SCORE = 0.7
ALMOST_SCORE = 0.55


def readiness(kit: PrepKit, content: KitContent) -> list[Readiness]:
    """Per competency of the role: a complete story and the best of the last three attempts.

    Ready: a complete story and a recent answer scoring at least 0.7. Almost there: a
    complete story and some practice, or a recent answer of at least 0.55. Started: any
    story or attempt. The score is :func:`secondround.prep.services.attempt_score`.
    """
    coverage = {r.competency.name: r for r in story_coverage(kit, content).rows}
    attempts: dict[str, list[PracticeAttempt]] = defaultdict(list)
    for a in kit.attempts.all():  # newest first
        attempts[a.competency].append(a)
    result = []
    for c in content.competencies:
        row = coverage[c.name]
        mine = attempts.get(c.name, [])
        recent = max((a.score for a in mine[:3]), default=0.0)
        has_story = row.status == "covered"
        if has_story and recent >= READY_SCORE:
            level = "ready"
        elif (has_story and mine) or recent >= ALMOST_SCORE:
            level = "almost"
        elif mine or row.status != "missing":
            level = "started"
        else:
            level = "not_started"
        result.append(Readiness(c.name, has_story, len(mine), recent, level))
    return result


def progress_by_competency(kit: PrepKit) -> list[Progress]:
    groups: dict[str, list[PracticeAttempt]] = defaultdict(list)
    for a in kit.attempts.all():
        groups[a.competency or _("No competency chosen")].append(a)
    return [_progress(name, attempts) for name, attempts in groups.items()]
