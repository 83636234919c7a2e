"""A finalist with round-two evidence, a private link and (optionally) a decision."""

from __future__ import annotations

import re
from dataclasses import dataclass

from secondround.accounts.models import User
from secondround.debrief.services import record_decision
from secondround.feedback.selectors import drafted_content
from secondround.feedback.services import approve_feedback_letter, sections_from_content
from secondround.hiring.models import Application, Position
from secondround.messaging.models import Message, MessageKind
from secondround.messaging.services import send_outcome
from secondround.prep.services import create_invite_link
from tests.factories import UserFactory, make_finalist, soon, submit_round_two

SHARED_WELL = "You named the trade-offs of each design and chose one with a clear reason."
SHARED_STRONGER = "A number for the result would have made the story land harder."
HIDDEN_NOTE = "Zanzibar-internal: seemed rehearsed, weaker than the other finalist."
TAKEAWAYS = "Quillfeather takeaway: would not fight for this hire."
RATER_NAMES = ("Bartholomew Xylander", "Perpetua Quonset")
DECISION_REASONS = "Marzipan reason: the calibrated system design score was below Dana's."


@dataclass
class Finalist:
    application: Application
    token: str
    raters: list[User]


def finalist_with_evidence(position: Position, *, name: str = "Casey Candidate") -> Finalist:
    application = make_finalist(position, name=name)
    raters = [UserFactory(full_name=n) for n in RATER_NAMES]
    position.interviewers.add(*raters)
    first, second, third = list(position.competencies.all())[:3]
    submit_round_two(
        application, raters[0],
        {first.name: {"rating": 5, "notes": SHARED_WELL, "shareable": True},
         second.name: {"rating": 2, "notes": SHARED_STRONGER, "shareable": True},
         third.name: {"rating": 1, "notes": HIDDEN_NOTE, "shareable": False, "concern": True}},
        takeaways=TAKEAWAYS,
    )  # fmt: skip
    submit_round_two(
        application, raters[1],
        {first.name: {"rating": 4, "notes": SHARED_WELL, "shareable": True},
         third.name: {"rating": 2, "notes": HIDDEN_NOTE + " (second rater)", "shareable": False}},
        takeaways=TAKEAWAYS,
    )  # fmt: skip
    _link, token = create_invite_link(actor=position.hiring_manager, application=application)
    return Finalist(application=application, token=token, raters=raters)


def decide(application: Application, decision: str = "reject") -> None:
    competency = application.position.competencies.first()
    assert competency is not None
    if decision == "reject":  # a finalist is not closed without being told (messaging)
        send_outcome(
            actor=application.position.hiring_manager, application=application,
            outcome="outcome_not_this_time", values={"portal_link": "http://testserver/prep/"},
        )  # fmt: skip
    record_decision(
        actor=application.position.hiring_manager, application=application, decision=decision,
        reasons=DECISION_REASONS, competencies=[competency], dissent=[],
        next_step="Send the outcome and the feedback letter.", next_step_date=soon(),
    )  # fmt: skip
    application.refresh_from_db()


def letter_token(application: Application) -> str:
    """The token of the link the latest "feedback letter ready" message carries: it replaced
    the candidate's earlier links (messaging's one-live-link rule)."""
    message = Message.objects.filter(
        application=application, kind=MessageKind.FEEDBACK_READY
    ).latest("pk")
    found = re.search(r"/prep/i/([^/\s]+)/feedback/", message.body_text)
    assert found, message.body_text
    return found.group(1)


def approve_drafted_letter(manager: User, application: Application) -> str:
    """The hiring manager approves the letter as drafted from the evidence; returns the token
    of the letter's link (the candidate's one live link from then on)."""
    content = drafted_content(application)
    approve_feedback_letter(
        actor=manager, application=application, opening=content["opening"],
        sections=sections_from_content(application, content), closing=content["closing"],
        base_url="http://testserver",
    )  # fmt: skip
    return letter_token(application)
