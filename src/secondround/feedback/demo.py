"""The demo's feedback letter for Mateo García, drafted from his shareable evidence.

Called by ``secondround.demo.load()`` after the calibration snapshot and the preparation demo
exist, with the real services: a private link for Mateo (fixed token, so the docs can name
it) and the hiring manager's letter, drafted from his shareable evidence with her edits.
A letter goes out with the final outcome (``feedback.selectors.approval_refusal``). In the
whole demo, messaging's demo has already told him the team would like one more conversation
(a decision that is not final), so his letter stays a saved draft, to approve once the team
decides, and his page says one thing: one more conversation. Run on its own (no decision
yet), he is told "not this time", rejected, and the letter is approved (which queues the
"feedback letter ready" message).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from secondround.debrief.models import Decision
from secondround.debrief.services import record_decision
from secondround.feedback.selectors import approval_refusal, drafted_content
from secondround.feedback.services import (
    approve_feedback_letter,
    save_letter_draft,
    sections_from_content,
)
from secondround.hiring.models import Application
from secondround.messaging.services import send_outcome
from secondround.prep.access import LINK_STAGES
from secondround.prep.services import create_invite_link

DEMO_FINALIST = "Mateo García"
DEMO_LINK_TOKEN = "prep_demo-mateo-garcia-heron"  # /prep/i/prep_demo-mateo-garcia-heron/feedback/


# The hiring manager's edits to the draft: the interviewers' shareable notes, put in her
# own words for Mateo, with what would have made his answers stronger.
EDITS = {
    "System design": (
        "You sketched the whole flow before going into detail and named the trade-off between "
        "consistency and speed yourself.",
        "Carrying one design through to how it fails and how you would notice (timeouts, "
        "retries, monitoring) would have shown the depth this role needs.",
    ),
    "Debugging unclear problems": (
        "You asked good questions before guessing, and you narrowed the problem down step by step.",
        "An example from your own work where you found a cause yourself, with how long it took "
        "and what you changed afterwards, would have made this answer much stronger.",
    ),
    "Code review and pairing": (
        "Your example of pairing with a new colleague was specific: what you did, and what they "
        "could do on their own afterwards.",
        "",
    ),
}


def _edited(content: dict[str, Any]) -> dict[str, Any]:
    sections = {s["competency"]: dict(s) for s in content["sections"]}
    for name, (went_well, stronger) in EDITS.items():
        sections[name] = {"competency": name, "went_well": went_well, "stronger": stronger}
    return {**content, "sections": list(sections.values())}


def _decide(application: Application) -> None:
    manager = application.position.hiring_manager
    send_outcome(
        actor=manager, application=application, outcome="outcome_not_this_time",
        values={"portal_link": f"{settings.SECONDROUND_BASE_URL}/prep/i/{DEMO_LINK_TOKEN}/"},
    )  # fmt: skip
    record_decision(
        actor=manager, application=application, decision="reject",
        reasons="Solid collaboration, but system design and debugging stayed below the bar "
        "the role needs now.",
        competencies=list(application.position.competencies.filter(must_have=True)[:2]),
        dissent=[], next_step="Feedback letter to the candidate",
        next_step_date=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip


def load_demo() -> None:
    application = Application.objects.select_related("position__hiring_manager").get(
        candidate__full_name=DEMO_FINALIST
    )
    manager = application.position.hiring_manager
    if application.stage in LINK_STAGES:
        create_invite_link(actor=manager, application=application, days=60, token=DEMO_LINK_TOKEN)
    if not Decision.objects.filter(application=application).exists():
        _decide(application)
    application.refresh_from_db()
    content = _edited(drafted_content(application))
    if approval_refusal(application):  # one more conversation first: the draft waits for it
        save_letter_draft(
            actor=manager, application=application, opening=content["opening"],
            sections=sections_from_content(application, content), closing=content["closing"],
        )  # fmt: skip
        return
    approve_feedback_letter(
        actor=manager, application=application, opening=content["opening"],
        sections=sections_from_content(application, content), closing=content["closing"],
        base_url=settings.SECONDROUND_BASE_URL,
        # The documented demo link stays the live one (its letter: /prep/i/<token>/feedback/).
        portal_link=f"{settings.SECONDROUND_BASE_URL}/prep/i/{DEMO_LINK_TOKEN}/",
    )  # fmt: skip
