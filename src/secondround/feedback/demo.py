"""The demo's feedback letters: Mateo García's draft, and Lena Hoffmann's approved letter.

Called by ``secondround.demo.load()`` after the calibration snapshot and the preparation demo
exist, with the real services: a private link for Mateo (fixed token, so the docs can name
it) and the hiring manager's letter, drafted from his shareable evidence with her edits.
A letter goes out with the final outcome (``feedback.selectors.approval_refusal``). In the
whole demo, messaging's demo has already told him the team would like one more conversation
(a decision that is not final), so his letter stays a saved draft, to approve once the team
decides, and his page says one thing: one more conversation. Run on its own (no decision
yet), he is told "not this time", rejected, and the letter is approved (which queues the
"feedback letter ready" message).

Lena Hoffmann is the decided finalist whose letter the candidate can read
(``/prep/i/prep_demo-lena-hoffmann-falcon/feedback/``): her loop was held the week before the
others' (``secondround.demo``), ``decide_demo_finalist`` gives her the mails her story sent
(invitation, schedule confirmation, "not this time") and records the reject before the
comparison is fitted, and ``load_demo`` approves her letter. Every mail carries her one live
link, the documented one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from secondround.bookings.demo import confirm_booked_loop
from secondround.debrief.models import Decision
from secondround.debrief.services import record_decision
from secondround.feedback.selectors import approval_refusal, drafted_content
from secondround.feedback.services import (
    approve_feedback_letter,
    save_letter_draft,
    sections_from_content,
)
from secondround.hiring.models import Application
from secondround.messaging.delivery import deliver
from secondround.messaging.demo import (
    INVITED_DAYS_BEFORE,
    MATEO_LINK_DAYS,
    MATEO_LINK_TOKEN,
    date_sent,
    days_before_loop,
    portal_link,
)
from secondround.messaging.models import MessageKind
from secondround.messaging.services import queue_message, send_outcome
from secondround.prep.access import LINK_STAGES, token_hash
from secondround.prep.models import InviteLink
from secondround.prep.services import create_invite_link

DEMO_FINALIST = "Mateo García"
DEMO_LINK_TOKEN = MATEO_LINK_TOKEN  # /prep/i/prep_demo-mateo-garcia-heron/feedback/
DECIDED_FINALIST = "Lena Hoffmann"
DECIDED_LINK_TOKEN = "prep_demo-lena-hoffmann-falcon"  # …/prep_demo-lena-hoffmann-falcon/feedback/
LETTER_LINK_DAYS = 60


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


# Hana's letter to Lena: what went well in her round two, and what the role needed more of.
DECIDED_EDITS = {
    "System design": (
        "You structured the booking service clearly and explained why you kept it as one "
        "deployable unit for a small team.",
        "Going further into how the design behaves when a clinic's connection drops, and how "
        "you would find out, would have shown the depth this role needs from the first month.",
    ),
    "Code quality and testing": (
        "You explained which tests you write before changing code and why, with an example "
        "from your current team.",
        "",
    ),
    "Debugging unclear problems": (
        "You stayed calm and checked your assumptions one at a time.",
        "Forming a first hypothesis sooner, and saying what evidence would rule it out, would "
        "have made your approach easier to follow and faster.",
    ),
    "Pragmatic delivery": (
        "Your example of shipping a change to clinics in small steps behind a flag was "
        "specific and convincing.",
        "",
    ),
}


def _edited(content: dict[str, Any], edits: dict[str, tuple[str, str]] = EDITS) -> dict[str, Any]:
    sections = {s["competency"]: dict(s) for s in content["sections"]}
    for name, (went_well, stronger) in edits.items():
        sections[name] = {"competency": name, "went_well": went_well, "stronger": stronger}
    return {**content, "sections": list(sections.values())}


def _decide(application: Application) -> None:
    manager = application.position.hiring_manager
    send_outcome(
        actor=manager, application=application, outcome="outcome_not_this_time",
        values={"portal_link": f"{settings.SECONDROUND_BASE_URL}/prep/i/{DEMO_LINK_TOKEN}/"},
    )  # fmt: skip
    _reject(application, "Solid collaboration")


def _reject(application: Application, strength: str) -> None:
    """The hiring manager's recorded "reject", naming the finalist's strength first."""
    record_decision(
        actor=application.position.hiring_manager, application=application, decision="reject",
        reasons=f"{strength}, but system design and debugging stayed below the bar "
        "the role needs now.",
        competencies=list(application.position.competencies.filter(must_have=True)[:2]),
        dissent=[], next_step="Feedback letter to the candidate",
        next_step_date=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip


def _has_link(token: str) -> bool:
    return InviteLink.objects.filter(token_hash=token_hash(token)).exists()


def decide_demo_finalist() -> None:
    """Lena's story up to the decision: invited and her loop confirmed on her documented link
    (dated before the loop, when they went out), then told "not this time" and rejected."""
    application = Application.objects.select_related("candidate", "position__hiring_manager").get(
        candidate__full_name=DECIDED_FINALIST
    )
    manager = application.position.hiring_manager
    recruiter = application.position.recruiters.order_by("pk").first() or manager
    create_invite_link(
        actor=recruiter, application=application, days=LETTER_LINK_DAYS, token=DECIDED_LINK_TOKEN
    )
    link = portal_link(DECIDED_LINK_TOKEN)
    invitation = queue_message(
        kind=MessageKind.INVITATION, candidate=application.candidate, application=application,
        actor=recruiter, values={"portal_link": link},
    )  # fmt: skip
    deliver(invitation.pk)
    invited = days_before_loop(application, INVITED_DAYS_BEFORE)
    if invited is not None:
        date_sent(invitation, invited)
    confirm_booked_loop(DECIDED_FINALIST, DECIDED_LINK_TOKEN)
    told = send_outcome(
        actor=manager, application=application, outcome=MessageKind.OUTCOME_NOT_THIS_TIME,
        portal_link=link,
    )  # fmt: skip
    deliver(told.pk)
    _reject(application, "Good delivery habits")


def _approve_decided_letter() -> None:
    application = Application.objects.select_related("position__hiring_manager").get(
        candidate__full_name=DECIDED_FINALIST
    )
    manager = application.position.hiring_manager
    content = _edited(drafted_content(application), DECIDED_EDITS)
    approval = approve_feedback_letter(
        actor=manager, application=application, opening=content["opening"],
        sections=sections_from_content(application, content), closing=content["closing"],
        base_url=settings.SECONDROUND_BASE_URL, portal_link=portal_link(DECIDED_LINK_TOKEN),
    )  # fmt: skip
    if approval.message is not None:
        deliver(approval.message.pk)


def load_demo() -> None:
    if Application.objects.filter(candidate__full_name=DECIDED_FINALIST).exists():
        _approve_decided_letter()
    application = Application.objects.select_related("position__hiring_manager").get(
        candidate__full_name=DEMO_FINALIST
    )
    manager = application.position.hiring_manager
    if application.stage in LINK_STAGES and not _has_link(DEMO_LINK_TOKEN):
        create_invite_link(
            actor=manager, application=application, days=MATEO_LINK_DAYS, token=DEMO_LINK_TOKEN
        )
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
