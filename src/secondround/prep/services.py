"""Writes for the candidate's side. One atomic call per action; bad input changes nothing.

Validation errors are keyed by field name, as in the hiring services, so forms can show
them next to the field.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from secondround.accounts.models import Role, User
from secondround.accounts.services import create_user
from secondround.engines.answers import AnswerAnalysis, AnswerError, analyze_answer
from secondround.engines.posting import (
    PostingError,
    family_profiles,
    parse_posting,
    require_posting_words,
)
from secondround.hiring.models import Application
from secondround.hiring.role_templates import role_templates
from secondround.hiring.selectors import require_manager
from secondround.prep import guidance
from secondround.prep.access import (
    OPEN_PARTS,
    LinkPart,
    LinkRefused,
    link_for_token,
    link_refusal,
    token_hash,
)
from secondround.prep.content import KitContent
from secondround.prep.models import (
    CandidateQuestion,
    InviteLink,
    KitSource,
    PracticeAttempt,
    PrepKit,
    Story,
    StoryKind,
)

LINK_PREFIX = "prep_"
DEFAULT_LINK_DAYS = 14
MAX_LINK_DAYS = 60
MAX_QUESTIONS = 30
MAX_STORIES = 60
STORY_FIELDS = ("title", "kind", "situation", "task", "action", "result", "learned")
STORY_TEXT_LIMIT = 4_000

# --- invitation links (the hiring team) --------------------------------------------------------


@transaction.atomic
def create_invite_link(
    *,
    actor: User,
    application: Application,
    days: int = DEFAULT_LINK_DAYS,
    token: str | None = None,
) -> tuple[InviteLink, str]:
    """A new private link and its token, which is shown once and never stored.

    ``token`` is for the demo organisation only (a link people can find in the docs);
    everywhere else it is left out and a random one is made.
    """
    require_manager(actor, application.position)
    if not 1 <= days <= MAX_LINK_DAYS:
        raise ValidationError(
            {"days": _("A link lasts between 1 and %(max)d days.") % {"max": MAX_LINK_DAYS}}
        )
    # A decided candidate may need a new link too (a lost mail): it opens only what stays
    # open after the outcome (their page, the letter, the survey; ``access.OPEN_PARTS``).
    if application.stage not in OPEN_PARTS:
        raise ValidationError(
            {
                "application": _(
                    "Preparation links are for finalists: move the application to the second "
                    "round first."
                )
            }
        )
    token = token or LINK_PREFIX + secrets.token_urlsafe(32)
    link = InviteLink.objects.create(
        application=application,
        token_hash=token_hash(token),
        prefix=token[:10],
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return link, token


@transaction.atomic
def revoke_invite_link(*, actor: User, link: InviteLink) -> InviteLink:
    require_manager(actor, link.application.position)
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = actor
        link.save(update_fields=["revoked_at", "revoked_by"])
    return link


@transaction.atomic
def open_invitation(*, token: str) -> tuple[PrepKit, InviteLink]:
    """The finalist's kit for a link (made on first opening). Counts no open: see
    ``record_invitation_open``.

    Runs on a GET of the link, which anything may repeat (a chat app's preview, a mail
    scanner, a prefetch). Making the kit there is harmless: it is one idempotent
    ``get_or_create`` (the same row whoever asks, however often), holds nothing the candidate
    wrote, and the hiring team reads nothing into it.

    Raises InviteLink.DoesNotExist for an unknown token and LinkRefused for a link that
    has expired or been revoked, or whose application is no longer in the final rounds.
    """
    link = link_for_token(token)
    reason = link_refusal(link, LinkPart.KIT)
    if reason:
        raise LinkRefused(reason, link.application)
    kit, _created = PrepKit.objects.get_or_create(
        application=link.application, defaults={"source": KitSource.INVITATION}
    )
    return kit, link


# One visit: reloading the page, or going to the kit and back, within this time after the open
# this browser had counted is the same visit, not another open. Half an hour is the usual
# length of a "visit" in web analytics; it lets the team see that the candidate came back on
# another day (or later the same day) without turning one read of the page into five.
OPEN_VISIT_WINDOW = timedelta(minutes=30)


@transaction.atomic
def record_invitation_open(
    *, token: str, last_counted_at: datetime | None = None
) -> datetime | None:
    """Count that a person opened their page on the private link; when it was counted, or
    None when this browser's last counted open (``last_counted_at``) is under
    ``OPEN_VISIT_WINDOW`` ago.

    Called by the candidate's page after it loaded in a browser (a same-origin POST), never
    by fetching the link: previews, scanners and prefetches fetch it without a person. Any
    live link that opens the candidate's page counts, also after the outcome (the candidate
    reading the decision opened it too).

    Raises InviteLink.DoesNotExist for an unknown token and LinkRefused for a link that has
    expired or been revoked (or that opens nothing in the application's state).
    """
    link = link_for_token(token)
    reason = link_refusal(link, LinkPart.PORTAL)
    if reason:
        raise LinkRefused(reason, link.application)
    now = timezone.now()
    if last_counted_at is not None and last_counted_at <= now < last_counted_at + OPEN_VISIT_WINDOW:
        return None
    # One UPDATE that adds in the database: concurrent opens are all counted.
    InviteLink.objects.filter(pk=link.pk).update(
        last_opened_at=now, times_opened=F("times_opened") + 1
    )
    return now


# --- posting kits (a job seeker on their own) ----------------------------------------------------


@transaction.atomic
def create_posting_kit(
    *, posting_text: str, company_text: str = "", company_name: str = "", owner: User | None
) -> tuple[PrepKit, str]:
    """A kit from a pasted posting, and the secret key that opens it without an account.

    With an owner the kit is theirs; the key is still returned (and works) so the kit can be
    opened from the session it was made in.
    """
    company_name = company_name.strip()
    if len(company_name) > 150:
        raise ValidationError({"company_name": _("Keep the company name under 150 characters.")})
    try:
        families = family_profiles(role_templates())
        parsed = parse_posting(posting_text, company=company_text, families=families)
    except PostingError as error:
        field = "company_text" if "company" in str(error) else "posting_text"
        raise ValidationError({field: str(error)}) from error
    # Prose and short postings make a kit; only text with nothing of a job in it is refused.
    nothing_found = not (parsed.responsibilities or parsed.requirements or parsed.skills)
    if nothing_found and not (parsed.role_family or parsed.near_family):
        raise ValidationError(
            {
                "posting_text": _(
                    "We could not find the responsibilities or requirements in this text. Paste "
                    "the whole posting, with its headings and bullet points."
                )
            }
        )
    try:  # random characters can look like duties; refuse what does not read as a posting
        require_posting_words(posting_text, families)
    except PostingError as error:
        raise ValidationError({"posting_text": str(error)}) from error
    key = secrets.token_urlsafe(32)
    kit = PrepKit.objects.create(
        source=KitSource.POSTING,
        owner=owner,
        access_hash=token_hash(key),
        company_name=company_name,
        posting_text=posting_text.strip(),
        company_text=company_text.strip(),
        parsed=parsed.to_dict(),
    )
    return kit, key


KEEP_REFUSED = _lazy(
    "We could not create an account with this address. If the address is yours, "
    "log in instead (or use another address)."
)


@transaction.atomic
def create_account_for_kits(
    *, kits: Sequence[PrepKit], email: str, full_name: str, password: str
) -> User:
    """A job-seeker account that keeps these posting kits (invitation kits stay with links).

    The form is open to anyone, so an address that already has an account gets the neutral
    KEEP_REFUSED (nothing is created): it must not confirm who works here or has signed up."""
    if not full_name.strip():
        raise ValidationError({"full_name": _("Tell us your name.")})
    if User.objects.filter(email=email.strip().lower()).exists():
        raise ValidationError({"email": KEEP_REFUSED})
    user = create_user(email=email, full_name=full_name, password=password, role=Role.JOB_SEEKER)
    for kit in kits:
        if kit.source == KitSource.POSTING and kit.owner_id is None:
            kit.owner = user
            kit.save(update_fields=["owner", "updated_at"])
    return user


# --- research notes -------------------------------------------------------------------------


@transaction.atomic
def save_research(*, kit: PrepKit, items: Mapping[str, Mapping[str, Any]]) -> PrepKit:
    unknown = set(items) - set(guidance.RESEARCH_KEYS)
    if unknown:
        raise ValidationError({"research": _("Unknown checklist item: %s.") % ", ".join(unknown)})
    research = dict(kit.research or {})
    for key, value in items.items():
        notes = str(value.get("notes", "")).strip()
        if len(notes) > STORY_TEXT_LIMIT:
            raise ValidationError({f"{key}-notes": _("Keep notes under 4,000 characters.")})
        research[key] = {"done": bool(value.get("done")), "notes": notes}
    kit.research = research
    kit.save(update_fields=["research", "updated_at"])
    return kit


# --- stories -----------------------------------------------------------------------------------


def _clean_story(
    fields: Mapping[str, Any], competencies: Iterable[str], allowed: Sequence[str]
) -> tuple[dict[str, str], list[str]]:
    unknown = set(fields) - set(STORY_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    errors: dict[str, str] = {}
    data = {name: str(fields.get(name, "")).strip() for name in STORY_FIELDS}
    if not data["title"]:
        errors["title"] = _("Give the story a short title you will recognise.")
    elif len(data["title"]) > 150:
        errors["title"] = _("Keep the title under 150 characters.")
    if data["kind"] not in StoryKind.values:
        errors["kind"] = _("Choose what kind of story this is.")
    for name in ("situation", "task", "action", "result", "learned"):
        if len(data[name]) > STORY_TEXT_LIMIT:
            errors[name] = _("Keep each part under 4,000 characters.")
    tags = list(dict.fromkeys(c.strip() for c in competencies if c.strip()))
    strangers = [c for c in tags if c not in allowed]
    if strangers:
        errors["competencies"] = _("Not a competency of this role: %s.") % ", ".join(strangers)
    if errors:
        raise ValidationError(errors)
    return data, tags


@transaction.atomic
def save_story(
    *,
    kit: PrepKit,
    content: KitContent,
    fields: Mapping[str, Any],
    competencies: Iterable[str],
    story: Story | None = None,
) -> Story:
    """Create a story (or change one of this kit's stories)."""
    if story is not None and story.kit_id != kit.pk:
        raise Story.DoesNotExist
    if story is None and kit.stories.count() >= MAX_STORIES:
        raise ValidationError({"title": _("A kit holds at most 60 stories.")})
    data, tags = _clean_story(fields, competencies, content.competency_names)
    story = story or Story(kit=kit)
    for name, value in data.items():
        setattr(story, name, value)
    story.competencies = tags
    story.save()
    return story


@transaction.atomic
def delete_story(*, kit: PrepKit, story: Story) -> None:
    if story.kit_id != kit.pk:
        raise Story.DoesNotExist
    story.delete()


# --- the candidate's own questions -----------------------------------------------------------


@transaction.atomic
def add_question(*, kit: PrepKit, text: str, topic: str = "") -> CandidateQuestion:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("Write the question you want to ask.")})
    if len(text) > 400:
        raise ValidationError({"text": _("Keep a question under 400 characters.")})
    if topic and topic not in guidance.TOPIC_LABELS:
        raise ValidationError({"topic": _("Unknown topic.")})
    existing = list(kit.my_questions.all())
    if any(q.text.lower() == text.lower() for q in existing):
        raise ValidationError({"text": _("This question is already on your list.")})
    if len(existing) >= MAX_QUESTIONS:
        raise ValidationError({"text": _("Your list holds at most 30 questions.")})
    order = max((q.order for q in existing), default=0) + 1
    return CandidateQuestion.objects.create(kit=kit, text=text, topic=topic, order=order)


@transaction.atomic
def remove_question(*, kit: PrepKit, question: CandidateQuestion) -> None:
    """Remove one of the candidate's private questions. A question sent to the hiring team
    (from the portal) stays: the team may already have routed or answered it, and removing it
    would lift the cap on questions sent."""
    if question.kit_id != kit.pk:
        raise CandidateQuestion.DoesNotExist
    if question.shared_at is not None:
        raise ValidationError(
            {
                "question": _(
                    "This question stays on your list: you already sent it to the hiring team."
                )
            }
        )
    question.delete()


# --- practice -------------------------------------------------------------------------------


def attempt_score(analysis: AnswerAnalysis) -> float:
    """0..1, the engine's own score: STAR parts, specificity and relevance, gated by relevance."""
    return analysis.score


@transaction.atomic
def record_attempt(
    *,
    kit: PrepKit,
    content: KitContent,
    question: str,
    competency: str,
    answer: str,
    seconds: int | None = None,
) -> PracticeAttempt:
    """Analyse a practice answer and keep it with its feedback."""
    question = " ".join(question.split())
    errors: dict[str, str] = {}
    if not question:
        errors["question"] = _("Choose a question or type your own.")
    elif len(question) > 1_000:
        errors["question"] = _("Keep the question under 1,000 characters.")
    brief = next((c for c in content.competencies if c.name == competency), None)
    if competency and brief is None:
        errors["competency"] = _("Not a competency of this role.")
    if seconds is not None and not 0 < seconds <= 3_600:
        errors["seconds"] = _("Time taken must be between 1 second and an hour.")
    if errors:
        raise ValidationError(errors)
    try:
        analysis = analyze_answer(
            answer,
            question=question,
            competency=brief.name if brief else "",
            competency_description=brief.description if brief else "",
        )
    except AnswerError as error:
        raise ValidationError({"answer": str(error)}) from error
    return PracticeAttempt.objects.create(
        kit=kit,
        question=question,
        competency=competency,
        answer=answer.strip(),
        seconds=seconds,
        analysis=analysis.to_dict(),
        score=attempt_score(analysis),
    )
