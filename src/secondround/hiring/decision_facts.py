"""What hiring needs to know about the debrief's decisions, declared here and answered from above.

The debrief decides and the stage follows: a finalist reaches "Offer" (and then "Hired") only
on a recorded hire decision, whoever moves the stage (the debrief's own ``record_decision``,
the application page, the API). The decisions live in the debrief app, above hiring, which
hiring does not import; it declares the fact it needs (:class:`DecisionFacts`) and the debrief
answers it (`debrief/facts.py`, plugged in by its ``AppConfig.ready``), like `closing.py`.
Without the debrief app nothing is decided, so nothing reaches an offer.
"""

from __future__ import annotations

from typing import Protocol


class DecisionFacts(Protocol):
    def decided_to_hire(self, application_id: int) -> bool:
        """Whether the decision recorded for the application is a hire."""
        ...


class NothingDecided:
    def decided_to_hire(self, application_id: int) -> bool:
        return False


_facts: DecisionFacts = NothingDecided()


def provide(facts: DecisionFacts) -> None:
    """Plug in the debrief app's answer (called once, from its ``AppConfig.ready``)."""
    global _facts
    _facts = facts


def decision_facts() -> DecisionFacts:
    return _facts
