"""First-round gaps: what round one left open, per finalist and competency.

For every finalist × competency pair the engine reads the round-one ratings and names what
is still uncertain, each as a :class:`GapReason`:

``not_assessed``
    nobody gave a rating (no row, or only rows marked "not assessed");
``single_rater``
    fewer than ``min_raters`` interviewers (default two) rated it, so there is no
    independent check;
``low_confidence``
    an interviewer said they were unsure (confidence at or below ``low_confidence``);
``split``
    the ratings spread over ``split_spread`` points or more (see :class:`GapThresholds`);
``concern``
    an interviewer flagged a concern;
``thin_evidence``
    every rating came with short notes (fewer than ``thin_evidence_words`` words).

Each pair with at least one reason is a :class:`Gap`, which the web layer turns into a
clarification item: the reason, the round-one evidence quoted, questions, an owning session.

Priority
--------
A gap's priority, in [0, 1], is ``severity × importance``:

- ``severity = 1 - Π (1 - s_r)`` over the gap's reasons (a "noisy-or": each reason alone
  gives its own severity, several reasons together are more severe than any one, and the
  result never exceeds 1). The severities in :data:`SEVERITY` are concern 0.9,
  split 0.8, not assessed 0.8, single rater 0.5, low confidence 0.4, thin evidence 0.25:
  a flagged concern or a disagreement about the anchor, or no information at all, must be
  resolved before a decision; one rater, an unsure rater or thin notes leave a rating that
  is probably right but unchecked.
- ``importance = (weight / max weight) × f / 1.5`` with ``f = 1.5`` for a must-have
  competency and ``1`` otherwise (``must_have_factor``): the heaviest must-have competency
  has importance 1, a nice-to-have of the same weight 2/3.

So a must-have concern (0.9 × 1 = 0.9) always ranks above a nice-to-have with thin
evidence (at most 0.25 × 2/3 ≈ 0.17).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = [
    "SEVERITY",
    "Cell",
    "CompetencyInfo",
    "Evidence",
    "Gap",
    "GapAnalysis",
    "GapInputError",
    "GapReason",
    "GapThresholds",
    "RoundOneRating",
    "find_gaps",
]

#: Lowest and highest point of the rating and confidence scales.
SCALE_MIN, SCALE_MAX = 1, 5


class GapReason(StrEnum):
    """Why a finalist × competency pair needs clarification in round two."""

    NOT_ASSESSED = "not_assessed"
    SINGLE_RATER = "single_rater"
    LOW_CONFIDENCE = "low_confidence"
    SPLIT = "split"
    CONCERN = "concern"
    THIN_EVIDENCE = "thin_evidence"


#: Severity of each reason on its own, in [0, 1] (see the module docstring).
SEVERITY: Mapping[GapReason, float] = MappingProxyType(
    {
        GapReason.CONCERN: 0.9,
        GapReason.SPLIT: 0.8,
        GapReason.NOT_ASSESSED: 0.8,
        GapReason.SINGLE_RATER: 0.5,
        GapReason.LOW_CONFIDENCE: 0.4,
        GapReason.THIN_EVIDENCE: 0.25,
    }
)

# Order in which reasons are listed in a gap (most severe first, ties in this order).
_REASON_ORDER = (
    GapReason.CONCERN,
    GapReason.SPLIT,
    GapReason.NOT_ASSESSED,
    GapReason.SINGLE_RATER,
    GapReason.LOW_CONFIDENCE,
    GapReason.THIN_EVIDENCE,
)


class GapInputError(ValueError):
    """Input the gap analysis cannot use; the message names what is wrong and where.

    Parameters
    ----------
    message : str
        The full, human-readable message.
    row : int or None
        0-based index of the offending rating, when one rating is at fault.
    field : str or None
        Name of the offending field or argument, when one is at fault.
    """

    def __init__(self, message: str, *, row: int | None = None, field: str | None = None):
        super().__init__(message)
        self.row = row
        self.field = field


@dataclass(frozen=True, slots=True)
class RoundOneRating:
    """One round-one interviewer's rating of one finalist on one competency.

    Parameters
    ----------
    candidate, interviewer, competency : str
        Who was rated, by whom, on what. ``interviewer`` is used as written in summaries,
        so pass a display name.
    rating : int or None
        1 to 5 on the anchored scale, or ``None`` for "not assessed".
    confidence : int or None
        The interviewer's confidence in the rating, 1 (unsure) to 5, or ``None`` if not given.
    notes : str
        The interviewer's evidence, as written.
    concern : bool
        Whether the interviewer flagged a concern.
    """

    candidate: str
    interviewer: str
    competency: str
    rating: int | None
    confidence: int | None = None
    notes: str = ""
    concern: bool = False


@dataclass(frozen=True, slots=True)
class CompetencyInfo:
    """A competency of the position.

    Parameters
    ----------
    name : str
        Its name, as used in :class:`RoundOneRating`.
    weight : float
        Its weight in the position (any positive number; only ratios matter).
    must_have : bool
        Whether the position cannot do without it.
    """

    name: str
    weight: float = 1.0
    must_have: bool = False


@dataclass(frozen=True, slots=True)
class GapThresholds:
    """When a pair counts as a gap.

    Parameters
    ----------
    low_confidence : int
        A confidence at or below this (on 1–5) is low. Default 2: the rater chose one of the
        two "unsure" points of the scale.
    split_spread : int
        Ratings whose highest and lowest differ by this much or more are split. Default 2.
        On a 1–5 anchored scale each point has its own behavioural anchor; two interviewers
        one point apart agree on the picture and differ on where it sits between neighbouring
        anchors, which is ordinary rater noise (interview ratings have inter-rater
        reliabilities well below 1 even with structure; Conway, Jako & Goodman 1995,
        *Journal of Applied Psychology* 80, 565–579). Two points apart they disagree about
        which anchor applies at all, for example 2 "below the bar" against 4 "above the
        bar", so round two must find out which is right.
    thin_evidence_words : int
        If every rating of the pair has notes shorter than this many words, the evidence is
        thin. Default 12: about one sentence, too short to hold a situation, an action and
        a result.
    min_raters : int
        Fewer raters than this (but at least one) is ``single_rater``. Default 2, the
        smallest number that gives an independent check.
    must_have_factor : float
        How much more a must-have competency weighs in the priority (at least 1).
    """

    low_confidence: int = 2
    split_spread: int = 2
    thin_evidence_words: int = 12
    min_raters: int = 2
    must_have_factor: float = 1.5


@dataclass(frozen=True, slots=True)
class Evidence:
    """One round-one rating, quoted as evidence for a gap."""

    interviewer: str
    rating: int | None
    confidence: int | None
    notes: str
    concern: bool


@dataclass(frozen=True, slots=True)
class Gap:
    """What round one left open for one finalist on one competency.

    Attributes
    ----------
    candidate, competency : str
        The pair.
    reasons : tuple of GapReason
        Every reason that applies, most severe first.
    priority : float
        In [0, 1]; see the module docstring for the formula.
    evidence : tuple of Evidence
        Every round-one row for the pair (rated or marked not assessed), by interviewer.
    summary : str
        One plain sentence for a person, e.g. "Only Priya rated this (3, low confidence)."
    """

    candidate: str
    competency: str
    reasons: tuple[GapReason, ...]
    priority: float
    evidence: tuple[Evidence, ...]
    summary: str


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell of the finalists × competencies matrix.

    ``n_ratings`` counts actual ratings (not "not assessed" rows); ``mean`` and ``spread``
    (highest minus lowest) are ``None`` when there are none; ``priority`` is 0 when
    ``reasons`` is empty.
    """

    candidate: str
    competency: str
    n_ratings: int
    mean: float | None
    spread: int | None
    reasons: tuple[GapReason, ...]
    priority: float


@dataclass(frozen=True)
class GapAnalysis:
    """The result of :func:`find_gaps`.

    Attributes
    ----------
    gaps : tuple of Gap
        Every pair with at least one reason, highest priority first (ties in the order of
        ``candidates`` then ``competencies``).
    cells : dict
        ``(candidate, competency) -> Cell`` for every pair, gaps or not.
    candidates, competencies : tuple of str
        The matrix's rows and columns, in the order given.
    """

    gaps: tuple[Gap, ...]
    cells: dict[tuple[str, str], Cell]
    candidates: tuple[str, ...]
    competencies: tuple[str, ...]

    def cell(self, candidate: str, competency: str) -> Cell:
        """Return the cell for one pair (``KeyError`` if either is unknown)."""
        return self.cells[(candidate, competency)]

    def gaps_for(self, candidate: str) -> tuple[Gap, ...]:
        """Return one finalist's gaps, highest priority first."""
        return tuple(gap for gap in self.gaps if gap.candidate == candidate)


def find_gaps(
    ratings: Iterable[RoundOneRating],
    *,
    candidates: Sequence[str],
    competencies: Sequence[CompetencyInfo],
    thresholds: GapThresholds = GapThresholds(),
) -> GapAnalysis:
    """Classify what round one left open for every finalist × competency pair.

    Parameters
    ----------
    ratings : iterable of RoundOneRating
        Round-one ratings of the finalists. Every rating must name a listed candidate and
        competency; an interviewer rates a pair at most once.
    candidates : sequence of str
        The finalists (rows of the matrix), in display order.
    competencies : sequence of CompetencyInfo
        The position's competencies (columns), in display order.
    thresholds : GapThresholds
        When a pair counts as a gap.

    Returns
    -------
    GapAnalysis
        A cell for every pair and a gap for every pair with a reason.

    Raises
    ------
    GapInputError
        Empty or duplicate candidates or competencies, a non-positive weight, a rating for
        an unknown candidate or competency, a rating or confidence outside 1–5, an
        interviewer rating the same pair twice, or thresholds out of range.
    """
    rows = list(ratings)
    infos = _validate(rows, candidates, competencies, thresholds)
    max_weight = max(info.weight for info in infos.values())

    by_pair: dict[tuple[str, str], list[RoundOneRating]] = {}
    for row in rows:
        by_pair.setdefault((row.candidate, row.competency), []).append(row)

    cells: dict[tuple[str, str], Cell] = {}
    gaps: list[tuple[int, int, Gap]] = []
    for row_index, candidate in enumerate(candidates):
        for column_index, info in enumerate(competencies):
            pair_rows = sorted(by_pair.get((candidate, info.name), []), key=_by_interviewer)
            rated = [row for row in pair_rows if row.rating is not None]
            values = [row.rating for row in rated if row.rating is not None]
            reasons = _reasons(pair_rows, rated, thresholds)
            importance = _importance(info, max_weight, thresholds.must_have_factor)
            priority = _severity(reasons) * importance if reasons else 0.0
            cells[(candidate, info.name)] = Cell(
                candidate=candidate,
                competency=info.name,
                n_ratings=len(values),
                mean=sum(values) / len(values) if values else None,
                spread=max(values) - min(values) if values else None,
                reasons=reasons,
                priority=priority,
            )
            if reasons:
                gap = Gap(
                    candidate=candidate,
                    competency=info.name,
                    reasons=reasons,
                    priority=priority,
                    evidence=tuple(_evidence(row) for row in pair_rows),
                    summary=_summary(reasons, pair_rows, rated, thresholds),
                )
                gaps.append((row_index, column_index, gap))

    gaps.sort(key=lambda item: (-item[2].priority, item[0], item[1]))
    return GapAnalysis(
        gaps=tuple(gap for _, _, gap in gaps),
        cells=cells,
        candidates=tuple(candidates),
        competencies=tuple(info.name for info in competencies),
    )


# --- validation -------------------------------------------------------------------------


def _validate(
    rows: list[RoundOneRating],
    candidates: Sequence[str],
    competencies: Sequence[CompetencyInfo],
    thresholds: GapThresholds,
) -> dict[str, CompetencyInfo]:
    _validate_thresholds(thresholds)
    if isinstance(candidates, str):
        raise GapInputError(
            "candidates must be a sequence of names, not one string", field="candidates"
        )
    if not candidates:
        raise GapInputError("candidates is empty: give at least one finalist", field="candidates")
    known_candidates: set[str] = set()
    for index, candidate in enumerate(candidates):
        if not isinstance(candidate, str) or not candidate:
            raise GapInputError(
                f"candidates[{index}] must be a non-empty string, got {candidate!r}",
                field="candidates",
            )
        if candidate in known_candidates:
            raise GapInputError(
                f"candidates[{index}]: {candidate!r} is listed twice", field="candidates"
            )
        known_candidates.add(candidate)
    if not competencies:
        raise GapInputError(
            "competencies is empty: give at least one competency", field="competencies"
        )
    infos: dict[str, CompetencyInfo] = {}
    for index, info in enumerate(competencies):
        where = f"competencies[{index}]"
        if not isinstance(info.name, str) or not info.name:
            raise GapInputError(f"{where}: name must be a non-empty string", field="competencies")
        if info.name in infos:
            raise GapInputError(f"{where}: {info.name!r} is listed twice", field="competencies")
        weight = info.weight
        if (
            isinstance(weight, bool)
            or not isinstance(weight, int | float)
            or not math.isfinite(weight)
            or weight <= 0
        ):
            raise GapInputError(
                f"{where} ({info.name!r}): weight must be a positive number, got {weight!r}",
                field="weight",
            )
        infos[info.name] = info

    seen: dict[tuple[str, str, str], int] = {}
    for index, row in enumerate(rows):
        where = f"rating {index} ({row.candidate!r}, {row.interviewer!r}, {row.competency!r})"
        if row.candidate not in known_candidates:
            raise GapInputError(
                f"{where}: unknown candidate {row.candidate!r}; expected one of the finalists",
                row=index,
                field="candidate",
            )
        if row.competency not in infos:
            raise GapInputError(
                f"{where}: unknown competency {row.competency!r}", row=index, field="competency"
            )
        if not isinstance(row.interviewer, str) or not row.interviewer:
            raise GapInputError(
                f"{where}: interviewer must be a non-empty string", row=index, field="interviewer"
            )
        if row.rating is not None and not _on_scale(row.rating):
            raise GapInputError(
                f"{where}: rating must be a whole number from 1 to 5 or None, got {row.rating!r}",
                row=index,
                field="rating",
            )
        if row.confidence is not None and not _on_scale(row.confidence):
            raise GapInputError(
                f"{where}: confidence must be a whole number from 1 to 5 or None, got {row.confidence!r}",
                row=index,
                field="confidence",
            )
        if not isinstance(row.notes, str):
            raise GapInputError(f"{where}: notes must be a string", row=index, field="notes")
        key = (row.candidate, row.interviewer, row.competency)
        if key in seen:
            raise GapInputError(
                f"{where}: duplicate of rating {seen[key]}; an interviewer rates a candidate on a competency once",
                row=index,
                field="interviewer",
            )
        seen[key] = index
    return infos


def _validate_thresholds(thresholds: GapThresholds) -> None:
    checks = [
        ("low_confidence", thresholds.low_confidence, 0, SCALE_MAX),
        ("split_spread", thresholds.split_spread, 1, SCALE_MAX - SCALE_MIN),
        ("thin_evidence_words", thresholds.thin_evidence_words, 0, None),
        ("min_raters", thresholds.min_raters, 1, None),
    ]
    for name, value, low, high in checks:
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < low
            or (high is not None and value > high)
        ):
            span = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise GapInputError(
                f"thresholds.{name} must be a whole number {span}, got {value!r}", field=name
            )
    factor = thresholds.must_have_factor
    if (
        isinstance(factor, bool)
        or not isinstance(factor, int | float)
        or not math.isfinite(factor)
        or factor < 1
    ):
        raise GapInputError(
            f"thresholds.must_have_factor must be a number of at least 1, got {factor!r}",
            field="must_have_factor",
        )


def _on_scale(value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and SCALE_MIN <= value <= SCALE_MAX
    )


# --- classification ---------------------------------------------------------------------


def _by_interviewer(row: RoundOneRating) -> str:
    return row.interviewer


def _reasons(
    pair_rows: list[RoundOneRating], rated: list[RoundOneRating], thresholds: GapThresholds
) -> tuple[GapReason, ...]:
    found: set[GapReason] = set()
    values = [row.rating for row in rated if row.rating is not None]
    if not values:
        found.add(GapReason.NOT_ASSESSED)
    elif len(values) < thresholds.min_raters:
        found.add(GapReason.SINGLE_RATER)
    if _unsure(rated, thresholds):
        found.add(GapReason.LOW_CONFIDENCE)
    if len(values) >= 2 and max(values) - min(values) >= thresholds.split_spread:
        found.add(GapReason.SPLIT)
    if any(row.concern for row in pair_rows):
        found.add(GapReason.CONCERN)
    if rated and all(_words(row.notes) < thresholds.thin_evidence_words for row in rated):
        found.add(GapReason.THIN_EVIDENCE)
    return tuple(reason for reason in _REASON_ORDER if reason in found)


def _unsure(rated: list[RoundOneRating], thresholds: GapThresholds) -> list[RoundOneRating]:
    return [
        row
        for row in rated
        if row.confidence is not None and row.confidence <= thresholds.low_confidence
    ]


def _words(notes: str) -> int:
    return len(notes.split())


def _severity(reasons: tuple[GapReason, ...]) -> float:
    remaining = 1.0
    for reason in reasons:
        remaining *= 1.0 - SEVERITY[reason]
    return 1.0 - remaining


def _importance(info: CompetencyInfo, max_weight: float, must_have_factor: float) -> float:
    factor = must_have_factor if info.must_have else 1.0
    return (info.weight / max_weight) * factor / must_have_factor


def _evidence(row: RoundOneRating) -> Evidence:
    return Evidence(
        interviewer=row.interviewer,
        rating=row.rating,
        confidence=row.confidence,
        notes=row.notes,
        concern=row.concern,
    )


# --- the one-sentence summary -----------------------------------------------------------


def _summary(
    reasons: tuple[GapReason, ...],
    pair_rows: list[RoundOneRating],
    rated: list[RoundOneRating],
    thresholds: GapThresholds,
) -> str:
    clauses: list[str] = []
    unsure = _unsure(rated, thresholds)
    single = GapReason.SINGLE_RATER in reasons
    if GapReason.NOT_ASSESSED in reasons:
        skipped = [row.interviewer for row in pair_rows]
        clause = "no one rated this in round one"
        if skipped:
            clause += f" ({_names(skipped)} marked it not assessed)"
        clauses.append(clause)
    if single:
        unsure_ids = {id(row) for row in unsure}
        details = [
            f"{row.rating}" + (", low confidence" if id(row) in unsure_ids else "") for row in rated
        ]
        if len(rated) == 1:
            clauses.append(f"only {rated[0].interviewer} rated this ({details[0]})")
        else:
            raters = [f"{row.interviewer} ({d})" for row, d in zip(rated, details, strict=True)]
            clauses.append(f"only {_names(raters)} rated this")
    if GapReason.SPLIT in reasons:
        listed = ", ".join(f"{row.interviewer} {row.rating}" for row in rated)
        clauses.append(f"the ratings are split ({listed})")
    if GapReason.LOW_CONFIDENCE in reasons and not single:
        names = [f"{row.interviewer} (confidence {row.confidence})" for row in unsure]
        clauses.append(f"{_names(names)} {'was' if len(unsure) == 1 else 'were'} unsure")
    if GapReason.CONCERN in reasons:
        raised = [row.interviewer for row in pair_rows if row.concern]
        clauses.append(f"{_names(raised)} raised {'a concern' if len(raised) == 1 else 'concerns'}")
    if GapReason.THIN_EVIDENCE in reasons:
        longest = max(_words(row.notes) for row in rated)
        each = "" if len(rated) == 1 else " each"
        clauses.append(f"the notes are brief (at most {longest} {_plural(longest, 'word')}{each})")
    sentence = "; ".join(clauses)
    return sentence[0].upper() + sentence[1:] + "."


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"
