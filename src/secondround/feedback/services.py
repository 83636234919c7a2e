"""Writes for feedback letters: save the draft, approve it (a new version each time).

One atomic service per action, called the same way from the page (and any later API). Every
text is checked against ``LETTER_TEXT_MAX`` before anything is written, keyed by the field
the editor shows, so a refused save changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.feedback.models import LETTER_TEXT_MAX, FeedbackLetter, LetterVersion
from secondround.feedback.selectors import (
    approval_refusal,
    competencies,
    require_letter_editor,
)
from secondround.hiring.models import Application
from secondround.messaging.models import Message, MessageKind
from secondround.messaging.services import (
    queue_message,
    replace_portal_link,
    require_own_portal_link,
)
from secondround.revisions import require_current


@dataclass(frozen=True)
class SectionInput:
    competency_id: int
    went_well: str
    stronger: str


def sections_from_content(application: Application, content: dict[str, Any]) -> list[SectionInput]:
    """A drafted or stored letter's sections as input, matched to competencies by name."""
    by_name = {c.name: c.pk for c in competencies(application)}
    return [
        SectionInput(by_name[s["competency"]], s["went_well"], s["stronger"])
        for s in content["sections"]
        if s["competency"] in by_name
    ]


def went_well_field(competency_id: int) -> str:
    return f"went_well_{competency_id}"


def stronger_field(competency_id: int) -> str:
    return f"stronger_{competency_id}"


def _too_long(text: str) -> bool:
    return len(text) > LETTER_TEXT_MAX


def _limit_message() -> str:
    return _("At most %(max)d characters.") % {"max": LETTER_TEXT_MAX}


def _section_errors(application: Application, sections: Sequence[SectionInput]) -> dict[str, str]:
    known = {c.pk for c in competencies(application)}
    errors: dict[str, str] = {}
    for section in sections:
        if section.competency_id not in known:
            errors[went_well_field(section.competency_id)] = _("Not a competency of this position.")
        if _too_long(section.went_well):
            errors[went_well_field(section.competency_id)] = _limit_message()
        if _too_long(section.stronger):
            errors[stronger_field(section.competency_id)] = _limit_message()
    return errors


def _stored_sections(
    application: Application, sections: Sequence[SectionInput]
) -> list[dict[str, str]]:
    """Non-empty sections in the position's order, each under the competency's name."""
    given = {s.competency_id: s for s in sections}
    stored = []
    for competency in competencies(application):
        section = given.get(competency.pk)
        if section and (section.went_well.strip() or section.stronger.strip()):
            stored.append(
                {"competency": competency.name, "went_well": section.went_well.strip(),
                 "stronger": section.stronger.strip()}
            )  # fmt: skip
    return stored


def _checked(
    application: Application, opening: str, sections: Sequence[SectionInput], closing: str
) -> dict[str, Any]:
    """The content to store, or ValidationError naming every field that is refused."""
    errors = {
        name: _limit_message()
        for name, text in (("opening", opening), ("closing", closing))
        if _too_long(text)
    }
    errors.update(_section_errors(application, sections))
    if errors:
        raise ValidationError(errors)
    return {
        "opening": opening.strip(),
        "sections": _stored_sections(application, sections),
        "closing": closing.strip(),
    }


@transaction.atomic
def save_letter_draft(
    *,
    actor: User,
    application: Application,
    opening: str,
    sections: Sequence[SectionInput],
    closing: str,
    based_on: str | None = None,
) -> FeedbackLetter:
    """Save the hiring manager's draft. The candidate sees nothing of it until approved.

    ``based_on`` is the draft's revision the editor was opened at (:mod:`secondround.revisions`):
    a draft changed since by someone else is not overwritten. ``None`` (scripts) skips that.
    """
    require_letter_editor(actor, application)
    content = _checked(application, opening, sections, closing)
    letter, created = FeedbackLetter.objects.select_for_update().get_or_create(
        application=application, defaults={"updated_by": actor, **content}
    )
    if not created and letter.content() == content:
        # No change, so no new revision: a colleague who opened it before can still save.
        return letter
    if not created:
        require_current(based_on, letter.updated_at, letter.updated_by, actor=actor)
    letter.opening, letter.sections, letter.closing = (
        content["opening"], content["sections"], content["closing"],
    )  # fmt: skip
    letter.updated_by, letter.updated_at = actor, timezone.now()
    letter.save()
    return letter


# A link made for the letter lasts as long as the longest preparation link.
LETTER_LINK_DAYS = 60


@dataclass(frozen=True)
class Approval:
    version: LetterVersion
    message: Message | None  # the "feedback letter ready" message, when one was queued
    not_sent: str = ""  # why no message went out (no valid address), for the page


def _letter_url(actor: User, application: Application, base_url: str, portal_link: str) -> str:
    """The letter's address for its message, by messaging's one-live-link rule: on the
    candidate's own live link the sender passes (``portal_link``, checked as messaging checks
    it), else on a fresh link (``replace_portal_link``, lasting ``LETTER_LINK_DAYS``) that
    replaces their earlier ones, whose pages then send them to this newest mail. From the
    letter, "Your page" leads to their page."""
    if portal_link:
        require_own_portal_link(application, portal_link, base_url)
        token = resolve(urlsplit(portal_link.strip()).path).kwargs["token"]
    else:
        token = replace_portal_link(
            actor=actor, application=application, site_url=base_url, days=LETTER_LINK_DAYS
        ).token
    return base_url.rstrip("/") + reverse("feedback-letter-candidate", args=[token])


def _tell_the_candidate(
    actor: User, application: Application, base_url: str, portal_link: str
) -> tuple[Message | None, str]:
    try:
        with transaction.atomic():  # a refused message revokes nothing, makes no link
            url = _letter_url(actor, application, base_url, portal_link)
            return queue_message(
                kind=MessageKind.FEEDBACK_READY, candidate=application.candidate,
                application=application, actor=actor, values={"portal_link": url},
            ), ""  # fmt: skip
    except ValidationError as refused:
        if "email" not in getattr(refused, "error_dict", {}):
            raise
        return None, " ".join(refused.error_dict["email"][0].messages)


@transaction.atomic
def approve_feedback_letter(
    *,
    actor: User,
    application: Application,
    opening: str,
    sections: Sequence[SectionInput],
    closing: str,
    base_url: str,
    based_on: str | None = None,
    portal_link: str = "",
) -> Approval:
    """Save the draft, approve it as the version the candidate reads, and queue the "feedback
    letter ready" message with a link to it (``base_url``: this site's address; the link is
    fresh, or the candidate's own live ``portal_link``, see ``_letter_url``).

    Approving the same words again (a second click, a stale tab) makes no new version and
    sends nothing. A candidate without a valid address still gets the letter on their page;
    the approval says why no message went out.
    """
    letter = save_letter_draft(
        actor=actor, application=application, opening=opening, sections=sections,
        closing=closing, based_on=based_on,
    )  # fmt: skip
    waiting = approval_refusal(application)
    if waiting:
        raise ValidationError({"approve": waiting})
    if not letter.sections and not letter.opening:
        raise ValidationError({"opening": _("An empty letter cannot be approved.")})
    latest = letter.versions.first()
    if latest is not None and latest.content() == letter.content():
        return Approval(latest, None)
    number = (letter.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = LetterVersion.objects.create(
        letter=letter, number=number, approved_by=actor, **letter.content()
    )
    message, not_sent = _tell_the_candidate(actor, application, base_url, portal_link)
    return Approval(version, message, not_sent)
