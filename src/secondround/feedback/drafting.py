"""The first draft of a feedback letter, from evidence interviewers marked shareable.

Pure Python over plain data (no Django), so what may reach a candidate is decided in one
small place that is easy to test. The input carries no rater and no score beyond the one
rating used to sort a note; the output carries neither: only competency names and the
interviewers' own shareable words, each said once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# A rating at or above this reads as something that went well; below it, as what would
# have made the answer stronger. A note with a raised concern is always the latter.
WENT_WELL_FROM = 3


@dataclass(frozen=True)
class Evidence:
    """One interviewer's note on one competency of the finalist."""

    competency: str
    note: str
    shareable: bool
    rating: int | None = None  # 1–5, or None when not assessed
    concern: bool = False


@dataclass(frozen=True)
class Section:
    competency: str
    went_well: str
    stronger: str


def _went_well(item: Evidence) -> bool:
    if item.concern:
        return False
    return item.rating is None or item.rating >= WENT_WELL_FROM


def _paragraphs(notes: list[str]) -> str:
    unique = list(dict.fromkeys(notes))  # the same words from two raters said once
    return "\n\n".join(unique)


def draft_sections(competencies: Sequence[str], evidence: Iterable[Evidence]) -> list[Section]:
    """One section per competency (in the given order) that has shareable evidence."""
    went_well: dict[str, list[str]] = {name: [] for name in competencies}
    stronger: dict[str, list[str]] = {name: [] for name in competencies}
    for item in evidence:
        note = item.note.strip()
        if not item.shareable or not note or item.competency not in went_well:
            continue
        (went_well if _went_well(item) else stronger)[item.competency].append(note)
    return [
        Section(name, _paragraphs(went_well[name]), _paragraphs(stronger[name]))
        for name in competencies
        if went_well[name] or stronger[name]
    ]
