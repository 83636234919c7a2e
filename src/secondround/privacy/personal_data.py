"""Where a candidate's personal data lives: every row reachable from the candidate, found by walking
the models' relations, so a table added later is covered without a list to keep up to date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from secondround.hiring.models import Candidate

# Rows the candidate wrote themselves: their content is personal even without a name in it,
# so erasure deletes these rows instead of redacting them.
AUTHORED_BY_CANDIDATE = (
    "prep.Story",
    "prep.CandidateQuestion",
    "prep.PracticeAttempt",
    "surveys.SurveyResponse",
)

# Models reached from a candidate that hold no personal data of theirs.
NOT_PERSONAL = ("privacy.Erasure",)

# How far to follow relations from the candidate (candidate → application → scorecard → rating).
MAX_DEPTH = 4

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@dataclass(frozen=True)
class Holding:
    """One table's rows that belong to the candidate, and the fields that can hold their data."""

    model: type[models.Model]
    lookup: str  # the filter path from this model to the candidate's id
    text_fields: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label

    def rows(self, candidate: Candidate) -> models.QuerySet[Any]:
        return self.model._default_manager.filter(**{self.lookup: candidate.pk})


def holdings() -> list[Holding]:
    """Every model related to Candidate within MAX_DEPTH foreign-key hops, nearest first."""
    found: dict[str, Holding] = {}
    frontier: list[tuple[type[models.Model], str]] = [(Candidate, "pk")]
    for _depth in range(MAX_DEPTH):
        next_frontier = []
        for parent, parent_lookup in frontier:
            for child, lookup in _children(parent, parent_lookup):
                if child._meta.label in found or child._meta.label in NOT_PERSONAL:
                    continue
                found[child._meta.label] = Holding(child, lookup, _text_fields(child))
                next_frontier.append((child, lookup))
        frontier = next_frontier
    return list(found.values())


def _children(parent: type[models.Model], parent_lookup: str) -> Iterator[tuple[Any, str]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is parent:
                prefix = "" if parent_lookup == "pk" else f"__{parent_lookup}"
                lookup = f"{field.name}{prefix}" if prefix else f"{field.name}_id"
                yield model, lookup


def _text_fields(model: type[models.Model]) -> tuple[str, ...]:
    """Free-text fields: no choices (those hold codes), no hashes or token prefixes."""
    return tuple(
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, TEXT_FIELDS)
        and not field.choices
        and not field.name.endswith(("hash", "prefix"))
    )


@dataclass(frozen=True)
class Redactor:
    """Replaces a person's name, email and phone number in free text with a neutral phrase."""

    pattern: re.Pattern[str] | None
    replacement: str = "the candidate"

    @classmethod
    def for_candidate(cls, candidate: Candidate) -> Redactor:
        names = [candidate.full_name, *candidate.full_name.split()]
        terms = [candidate.email, candidate.phone, *names]
        # Longest first, so "Aisha Bello" goes whole before "Aisha" alone; short parts (initials,
        # particles like "de") would erase ordinary words, so a name part needs three letters.
        usable = sorted({t.strip() for t in terms if len(t.strip()) >= 3}, key=len, reverse=True)
        if not usable:
            return cls(None)
        alternatives = "|".join(re.escape(term) for term in usable)
        return cls(re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE))

    def text(self, value: str) -> str:
        return self.pattern.sub(self.replacement, value) if self.pattern else value

    def value(self, value: Any) -> Any:
        """Redact strings anywhere inside JSON-like values."""
        return _walk(value, self.text)


def _walk(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_walk(item, change) for item in value]
    if isinstance(value, dict):
        return {key: _walk(item, change) for key, item in value.items()}
    return value
