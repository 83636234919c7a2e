"""Writes for feedback letters: save the draft, approve it (a new version each time).

One atomic service per action, called the same way from the page (and any later API). Every
text is checked against ``LETTER_TEXT_MAX`` before anything is written, keyed by the field
the editor shows, so a refused save changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.debrief.models import Decision
from secondround.feedback.models import LETTER_TEXT_MAX, FeedbackLetter, LetterVersion
from secondround.feedback.selectors import competencies, require_letter_editor
from secondround.hiring.models import Application


@dataclass(frozen=True)
class SectionInput:
    competency_id: int
    went_well: str
    stronger: str


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
) -> FeedbackLetter:
    """Save the hiring manager's draft. The candidate sees nothing of it until approved."""
    require_letter_editor(actor, application)
    content = _checked(application, opening, sections, closing)
    letter, _created = FeedbackLetter.objects.select_for_update().get_or_create(
        application=application, defaults={"updated_by": actor, **content}
    )
    letter.opening, letter.sections, letter.closing = (
        content["opening"], content["sections"], content["closing"],
    )  # fmt: skip
    letter.updated_by, letter.updated_at = actor, timezone.now()
    letter.save()
    return letter


@transaction.atomic
def approve_feedback_letter(
    *,
    actor: User,
    application: Application,
    opening: str,
    sections: Sequence[SectionInput],
    closing: str,
) -> LetterVersion:
    """Save the draft and approve it as the version the candidate reads.

    Approving the same words again (a second click, a stale tab) makes no new version.
    """
    letter = save_letter_draft(
        actor=actor, application=application, opening=opening, sections=sections,
        closing=closing,
    )  # fmt: skip
    if not Decision.objects.filter(application=application).exists():
        raise ValidationError(
            {"approve": _("Record the decision first: the letter goes out with the outcome.")}
        )
    if not letter.sections and not letter.opening:
        raise ValidationError({"opening": _("An empty letter cannot be approved.")})
    latest = letter.versions.first()
    if latest is not None and latest.content() == letter.content():
        return latest
    number = (letter.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return LetterVersion.objects.create(
        letter=letter, number=number, approved_by=actor, **letter.content()
    )
