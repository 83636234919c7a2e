"""Templates with named placeholders: which names each kind of message offers, checking a
template for names it may not use, and filling one in, in plain text and escaped HTML.

Placeholders are ``{name}``; no attribute access, format specs or expressions, so a template
can only insert the values listed for its kind.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation
from django.utils.html import escape, urlize

from secondround.messaging.models import MessageKind

PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
DEFAULTS_DIR = Path(__file__).resolve().parent / "default_templates"

#: Every kind offers these (see docs/messaging.md for what each holds).
COMMON_PLACEHOLDERS = (
    "candidate_name",
    "position_title",
    "company_name",
    "recruiter_name",
    "recruiter_email",
    "portal_link",
    "decision_date",
)
_SCHEDULE = ("schedule", "interview_date")
#: What each kind offers beyond the common ones; the caller (scheduling, outcome) fills them.
EXTRA_PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    MessageKind.INVITATION: (),
    MessageKind.SCHEDULE_CONFIRMATION: _SCHEDULE,
    MessageKind.REMINDER: _SCHEDULE,
    MessageKind.RESCHEDULE: _SCHEDULE,
    MessageKind.NEXT_STEPS: (),
    MessageKind.OUTCOME_OFFER: ("next_step",),
    MessageKind.OUTCOME_ANOTHER_CONVERSATION: ("next_step",),
    MessageKind.OUTCOME_NOT_THIS_TIME: (),
    MessageKind.FEEDBACK_READY: (),
    MessageKind.SESSIONS_CANCELLED: _SCHEDULE,
}


def placeholders_for(kind: str) -> tuple[str, ...]:
    return COMMON_PLACEHOLDERS + EXTRA_PLACEHOLDERS[kind]


def unknown_placeholders(kind: str, text: str) -> list[str]:
    """The ``{names}`` in ``text`` that ``kind`` does not offer, in order, each once."""
    allowed = set(placeholders_for(kind))
    found = [name for name in PLACEHOLDER.findall(text) if name not in allowed]
    return list(dict.fromkeys(found))


def used_placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@dataclass(frozen=True)
class TemplateText:
    subject: str
    body_text: str


@cache
def default_templates(language: str) -> dict[str, TemplateText]:
    """The shipped wording per kind, from ``default_templates/<language>.json``."""
    path = DEFAULTS_DIR / f"{language}.json"
    if not path.exists():
        path = DEFAULTS_DIR / "en.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return {kind: TemplateText(item["subject"], item["body_text"]) for kind, item in data.items()}


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    body_text: str
    body_html: str


Value = str | date | datetime


def localise(value: Value, language: str, zone: ZoneInfo | None = None) -> str:
    """A date or time written the way the candidate's language writes it; a time in ``zone``
    (the candidate's, named after it, as the schedule lines name it), else the current zone."""
    with translation.override(language):
        if isinstance(value, datetime):
            written = formats.date_format(timezone.localtime(value, zone), "DATETIME_FORMAT")
            return f"{written} ({zone.key})" if zone is not None else written
        if isinstance(value, date):
            return formats.date_format(value, "DATE_FORMAT")
    return value


def fill(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def render(
    template: TemplateText,
    values: dict[str, Value],
    language: str,
    zone: ZoneInfo | None = None,
) -> RenderedMessage:
    """Fill a template. Every value is inserted as text: escaped in the HTML part. Times are
    written in ``zone`` (the candidate's) when given, in subject and body alike."""
    plain = {name: localise(value, language, zone) for name, value in values.items()}
    subject = " ".join(fill(template.subject, plain).split())  # no newline can reach a header
    body_text = fill(template.body_text, plain)
    return RenderedMessage(subject, body_text, to_html(body_text, language))


def html_paragraphs(body_text: str) -> str:
    """Paragraphs of escaped text with clickable links (urlize escapes everything else)."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", body_text) if part.strip()]
    return "".join(
        "<p>" + urlize(part, autoescape=True).replace("\n", "<br>\n") + "</p>\n"
        for part in paragraphs
    )


def to_html(body_text: str, language: str) -> str:
    """The HTML part of a mail: the text's paragraphs, nothing the text did not say."""
    head = f'<!doctype html>\n<html lang="{escape(language)}"><head><meta charset="utf-8"></head>'
    return f"{head}<body>\n{html_paragraphs(body_text)}</body></html>\n"
