"""How long free text may be, in every form and API schema that takes it.

Long enough for thorough evidence, short enough that one paste cannot bloat a scorecard, a
decision or the stage history (and every page, export and e-mail that shows them).
The round-one import file has its own, larger limit (scorecards.importer).
"""

NOTES_MAX = 10_000  # evidence notes, what an interviewer learned about a clarification item
TAKEAWAYS_MAX = 10_000
REASONS_MAX = 10_000  # decision reasons, dissent, why a decision or a scorecard was changed
MOVE_REASON_MAX = 2_000  # why an application moved stage
POSITION_TEXT_MAX = 10_000  # a position's summary, responsibilities and expectations, each
