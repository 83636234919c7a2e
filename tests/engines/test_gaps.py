"""Reference tests for the first-round gap analysis (secondround.engines.gaps)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secondround.engines.gaps import (
    SEVERITY,
    CompetencyInfo,
    Evidence,
    GapInputError,
    GapReason,
    GapThresholds,
    RoundOneRating,
    find_gaps,
)

R = GapReason
FULL = (
    "Walked through the migration plan, named the trade-offs and what she would measure afterwards."
)
SHORT = "Seemed fine."
TOL = 1e-12


def rating(
    interviewer: str,
    value: int | None,
    *,
    candidate: str = "Ana",
    competency: str = "SQL",
    confidence: int | None = 4,
    notes: str = FULL,
    concern: bool = False,
) -> RoundOneRating:
    return RoundOneRating(candidate, interviewer, competency, value, confidence, notes, concern)


def one_pair(*rows: RoundOneRating, must_have: bool = True, **thresholds: int):
    analysis = find_gaps(
        rows,
        candidates=["Ana"],
        competencies=[CompetencyInfo("SQL", weight=1.0, must_have=must_have)],
        thresholds=GapThresholds(**thresholds),
    )
    return analysis, analysis.cell("Ana", "SQL")


def test_two_confident_close_ratings_with_full_notes_leave_no_gap() -> None:
    analysis, cell = one_pair(rating("Priya", 3), rating("Tom", 4))
    assert analysis.gaps == ()
    assert cell.reasons == ()
    assert cell.priority == 0.0
    assert cell.n_ratings == 2
    assert cell.mean == pytest.approx(3.5, abs=TOL)
    assert cell.spread == 1


def test_no_rows_at_all_is_not_assessed() -> None:
    analysis, cell = one_pair()
    assert cell.reasons == (R.NOT_ASSESSED,)
    assert (cell.n_ratings, cell.mean, cell.spread) == (0, None, None)
    (gap,) = analysis.gaps
    assert gap.priority == pytest.approx(0.8, abs=TOL)
    assert gap.evidence == ()
    assert gap.summary == "No one rated this in round one."


def test_rows_marked_not_assessed_are_quoted_but_not_counted() -> None:
    analysis, cell = one_pair(rating("Priya", None, confidence=None, notes="Ran out of time."))
    assert cell.reasons == (R.NOT_ASSESSED,)
    assert cell.n_ratings == 0
    (gap,) = analysis.gaps
    assert gap.evidence == (Evidence("Priya", None, None, "Ran out of time.", False),)
    assert gap.summary == "No one rated this in round one (Priya marked it not assessed)."


def test_one_rater_alone_is_single_rater() -> None:
    analysis, cell = one_pair(rating("Priya", 3), rating("Tom", None))
    assert cell.reasons == (R.SINGLE_RATER,)
    assert cell.n_ratings == 1
    (gap,) = analysis.gaps
    assert gap.priority == pytest.approx(0.5, abs=TOL)
    assert gap.summary == "Only Priya rated this (3)."
    assert [e.interviewer for e in gap.evidence] == ["Priya", "Tom"]


def test_single_unsure_rater_reads_as_in_the_brief() -> None:
    analysis, cell = one_pair(rating("Priya", 3, confidence=2))
    assert cell.reasons == (R.SINGLE_RATER, R.LOW_CONFIDENCE)
    (gap,) = analysis.gaps
    assert gap.summary == "Only Priya rated this (3, low confidence)."
    # noisy-or: 1 - (1 - 0.5)(1 - 0.4) = 0.7
    assert gap.priority == pytest.approx(0.7, abs=TOL)


def test_one_unsure_rater_of_two_is_low_confidence() -> None:
    analysis, cell = one_pair(rating("Priya", 3), rating("Tom", 3, confidence=2))
    assert cell.reasons == (R.LOW_CONFIDENCE,)
    assert analysis.gaps[0].priority == pytest.approx(0.4, abs=TOL)
    assert analysis.gaps[0].summary == "Tom (confidence 2) was unsure."


def test_confidence_not_given_is_not_low() -> None:
    _, cell = one_pair(rating("Priya", 3, confidence=None), rating("Tom", 3, confidence=None))
    assert cell.reasons == ()


def test_two_point_spread_is_split_and_one_point_is_not() -> None:
    analysis, cell = one_pair(rating("Priya", 2), rating("Tom", 4))
    assert cell.reasons == (R.SPLIT,)
    assert cell.spread == 2
    assert analysis.gaps[0].priority == pytest.approx(0.8, abs=TOL)
    assert analysis.gaps[0].summary == "The ratings are split (Priya 2, Tom 4)."
    _, adjacent = one_pair(rating("Priya", 3), rating("Tom", 4), rating("Sam", 4))
    assert adjacent.reasons == ()


def test_split_threshold_is_configurable() -> None:
    _, cell = one_pair(rating("Priya", 2), rating("Tom", 4), split_spread=3)
    assert cell.reasons == ()
    _, cell = one_pair(rating("Priya", 1), rating("Tom", 4), split_spread=3)
    assert cell.reasons == (R.SPLIT,)


def test_a_flagged_concern_is_a_concern_even_with_agreeing_ratings() -> None:
    analysis, cell = one_pair(rating("Priya", 3), rating("Tom", 3, concern=True))
    assert cell.reasons == (R.CONCERN,)
    assert analysis.gaps[0].priority == pytest.approx(0.9, abs=TOL)
    assert analysis.gaps[0].summary == "Tom raised a concern."


def test_short_notes_from_every_rater_are_thin_evidence() -> None:
    analysis, cell = one_pair(rating("Priya", 3, notes=SHORT), rating("Tom", 4, notes="OK."))
    assert cell.reasons == (R.THIN_EVIDENCE,)
    assert analysis.gaps[0].priority == pytest.approx(0.25, abs=TOL)
    assert analysis.gaps[0].summary == "The notes are brief (at most 2 words each)."
    # one full note is enough evidence
    _, cell = one_pair(rating("Priya", 3, notes=SHORT), rating("Tom", 4))
    assert cell.reasons == ()


def test_eleven_words_are_thin_and_twelve_are_not() -> None:
    eleven = " ".join(["word"] * 11)
    twelve = " ".join(["word"] * 12)
    _, cell = one_pair(rating("Priya", 3, notes=eleven), rating("Tom", 3, notes=eleven))
    assert cell.reasons == (R.THIN_EVIDENCE,)
    _, cell = one_pair(rating("Priya", 3, notes=twelve), rating("Tom", 3, notes=eleven))
    assert cell.reasons == ()


def test_many_reasons_at_once_are_listed_most_severe_first_in_one_sentence() -> None:
    analysis, cell = one_pair(
        rating("Priya", 1, confidence=1, notes=SHORT, concern=True),
        rating("Tom", 4, notes="Good."),
    )
    assert cell.reasons == (R.CONCERN, R.SPLIT, R.LOW_CONFIDENCE, R.THIN_EVIDENCE)
    expected = 1 - (1 - 0.9) * (1 - 0.8) * (1 - 0.4) * (1 - 0.25)
    assert cell.priority == pytest.approx(expected, abs=TOL)  # 0.991
    assert analysis.gaps[0].summary == (
        "The ratings are split (Priya 1, Tom 4); Priya (confidence 1) was unsure; "
        "Priya raised a concern; the notes are brief (at most 2 words each)."
    )


def test_priority_weighs_must_have_and_weight() -> None:
    competencies = [
        CompetencyInfo("Design", weight=2.0, must_have=True),
        CompetencyInfo("Docs", weight=1.0),
        CompetencyInfo("SQL", weight=2.0),
    ]
    rows = [
        rating("Priya", 3, competency="Design", concern=True),
        rating("Tom", 3, competency="Design"),
        rating("Priya", 3, competency="Docs", notes=SHORT),
        rating("Tom", 3, competency="Docs", notes=SHORT),
        rating("Priya", 3, competency="SQL", concern=True),
        rating("Tom", 3, competency="SQL"),
    ]
    analysis = find_gaps(rows, candidates=["Ana"], competencies=competencies)
    got = [(gap.competency, gap.reasons, gap.priority) for gap in analysis.gaps]
    # importance: Design 2/2 × 1.5/1.5 = 1; SQL 2/2 × 1/1.5 = 2/3; Docs 1/2 × 1/1.5 = 1/3
    assert got == [
        ("Design", (R.CONCERN,), pytest.approx(0.9, abs=TOL)),
        ("SQL", (R.CONCERN,), pytest.approx(0.6, abs=TOL)),
        ("Docs", (R.THIN_EVIDENCE,), pytest.approx(0.25 / 3, abs=TOL)),
    ]


def test_every_pair_gets_a_cell_and_ties_keep_the_given_order() -> None:
    competencies = [CompetencyInfo("SQL"), CompetencyInfo("Design")]
    rows = [
        rating("Priya", 3, candidate="Ben", competency="SQL"),
        rating("Tom", 4, candidate="Ben", competency="SQL"),
    ]
    analysis = find_gaps(rows, candidates=["Ana", "Ben"], competencies=competencies)
    assert set(analysis.cells) == {
        ("Ana", "SQL"),
        ("Ana", "Design"),
        ("Ben", "SQL"),
        ("Ben", "Design"),
    }
    assert analysis.candidates == ("Ana", "Ben")
    assert analysis.competencies == ("SQL", "Design")
    assert [(g.candidate, g.competency) for g in analysis.gaps] == [
        ("Ana", "SQL"),
        ("Ana", "Design"),
        ("Ben", "Design"),
    ]
    assert analysis.cell("Ben", "SQL").reasons == ()
    assert [g.competency for g in analysis.gaps_for("Ben")] == ["Design"]


@pytest.mark.parametrize(
    ("rows", "kwargs", "fragment"),
    [
        (
            [rating("Priya", 3, competency="Cobol")],
            {},
            "rating 0 ('Ana', 'Priya', 'Cobol'): unknown competency 'Cobol'",
        ),
        ([rating("Priya", 3, candidate="Zed")], {}, "unknown candidate 'Zed'"),
        (
            [rating("Priya", 3), rating("Tom", 6)],
            {},
            "rating 1 ('Ana', 'Tom', 'SQL'): rating must be a whole number from 1 to 5",
        ),
        ([rating("Priya", 0)], {}, "got 0"),
        ([rating("Priya", True)], {}, "got True"),
        (
            [rating("Priya", 3, confidence=9)],
            {},
            "confidence must be a whole number from 1 to 5 or None, got 9",
        ),
        (
            [rating("Priya", 3), rating("Priya", 4)],
            {},
            "rating 1 ('Ana', 'Priya', 'SQL'): duplicate of rating 0",
        ),
        ([rating("", 3)], {}, "interviewer must be a non-empty string"),
        ([], {"candidates": []}, "candidates is empty"),
        ([], {"candidates": ["Ana", "Ana"]}, "candidates[1]: 'Ana' is listed twice"),
        ([], {"competencies": []}, "competencies is empty"),
        (
            [],
            {"competencies": [CompetencyInfo("SQL"), CompetencyInfo("SQL")]},
            "competencies[1]: 'SQL' is listed twice",
        ),
        (
            [],
            {"competencies": [CompetencyInfo("SQL", weight=0)]},
            "competencies[0] ('SQL'): weight must be a positive number",
        ),
        (
            [],
            {"competencies": [CompetencyInfo("SQL", weight=float("nan"))]},
            "weight must be a positive number",
        ),
        (
            [],
            {"thresholds": GapThresholds(split_spread=0)},
            "thresholds.split_spread must be a whole number from 1 to 4",
        ),
        ([], {"thresholds": GapThresholds(low_confidence=6)}, "thresholds.low_confidence"),
        ([], {"thresholds": GapThresholds(must_have_factor=0.5)}, "thresholds.must_have_factor"),
    ],
)
def test_bad_input_is_rejected_naming_what_and_where(rows, kwargs, fragment) -> None:
    arguments = {"candidates": ["Ana"], "competencies": [CompetencyInfo("SQL")], **kwargs}
    with pytest.raises(GapInputError) as error:
        find_gaps(rows, **arguments)
    assert fragment in str(error.value)


def test_the_error_carries_the_row_and_field() -> None:
    with pytest.raises(GapInputError) as error:
        find_gaps(
            [rating("Priya", 3), rating("Tom", 3, confidence=0)],
            candidates=["Ana"],
            competencies=[CompetencyInfo("SQL")],
        )
    assert (error.value.row, error.value.field) == (1, "confidence")


# --- properties -------------------------------------------------------------------------

NAMES = ["Priya", "Tom", "Sam", "Lee"]
row_strategy = st.builds(
    RoundOneRating,
    candidate=st.sampled_from(["Ana", "Ben"]),
    interviewer=st.sampled_from(NAMES),
    competency=st.sampled_from(["SQL", "Design", "Docs"]),
    rating=st.none() | st.integers(1, 5),
    confidence=st.none() | st.integers(1, 5),
    notes=st.sampled_from(["", SHORT, FULL]),
    concern=st.booleans(),
)
rows_strategy = st.lists(
    row_strategy,
    max_size=24,
    unique_by=lambda r: (r.candidate, r.interviewer, r.competency),
)
PROPERTY_COMPETENCIES = [
    CompetencyInfo("SQL", weight=3.0, must_have=True),
    CompetencyInfo("Design", weight=2.0),
    CompetencyInfo("Docs", weight=0.5, must_have=True),
]


@settings(max_examples=150, deadline=None)
@given(rows=rows_strategy, order=st.randoms(use_true_random=False))
def test_properties_of_any_analysis(rows, order) -> None:
    analysis = find_gaps(rows, candidates=["Ana", "Ben"], competencies=PROPERTY_COMPETENCIES)
    assert len(analysis.cells) == 6
    for cell in analysis.cells.values():
        assert 0.0 <= cell.priority <= 1.0
        assert (cell.priority > 0) == bool(cell.reasons)
        assert (R.NOT_ASSESSED in cell.reasons) == (cell.n_ratings == 0)
    assert {(g.candidate, g.competency) for g in analysis.gaps} == {
        key for key, cell in analysis.cells.items() if cell.reasons
    }
    priorities = [g.priority for g in analysis.gaps]
    assert priorities == sorted(priorities, reverse=True)
    for gap in analysis.gaps:
        cell = analysis.cell(gap.candidate, gap.competency)
        assert (gap.reasons, gap.priority) == (cell.reasons, cell.priority)
        assert gap.summary.endswith(".") and gap.summary[0].isupper()
        expected = 1.0
        for reason in gap.reasons:
            expected *= 1 - SEVERITY[reason]
        assert gap.priority <= 1 - expected + TOL
    shuffled = list(rows)
    order.shuffle(shuffled)
    again = find_gaps(shuffled, candidates=["Ana", "Ben"], competencies=PROPERTY_COMPETENCIES)
    assert again == analysis


@settings(max_examples=100, deadline=None)
@given(rows=rows_strategy)
def test_more_severe_reasons_never_lower_priority_within_a_competency(rows) -> None:
    """Adding a concern to a pair never lowers its priority (noisy-or is monotone)."""
    base = find_gaps(rows, candidates=["Ana", "Ben"], competencies=PROPERTY_COMPETENCIES)
    flagged = [
        RoundOneRating(
            r.candidate, r.interviewer, r.competency, r.rating, r.confidence, r.notes, True
        )
        for r in rows
    ]
    worse = find_gaps(flagged, candidates=["Ana", "Ben"], competencies=PROPERTY_COMPETENCIES)
    for key, cell in base.cells.items():
        assert worse.cells[key].priority >= cell.priority - TOL
