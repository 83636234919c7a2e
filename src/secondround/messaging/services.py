"""Writes for messages to candidates. One atomic call per user action; bad input changes nothing.

``queue_message`` is the one way a message leaves: it renders the template of a kind in the
candidate's language, stores the result in the outbox with its attachments, and hands it to the
task worker once the transaction commits. Scheduling, bookings, feedback and the portal call it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from secondround.accounts.models import Role, User
from secondround.hiring.models import (
    Application,
    Candidate,
    CompanyProfile,
    FinalOutcome,
    Stage,
)
from secondround.hiring.selectors import can_manage_position, require_manager
from secondround.messaging.models import (
    BODY_MAX,
    OUTCOME_KINDS,
    SUBJECT_MAX,
    Message,
    MessageAttachment,
    MessageKind,
    MessageState,
    MessageTemplate,
)
from secondround.messaging.rendering import (
    RenderedMessage,
    TemplateText,
    Value,
    default_templates,
    placeholders_for,
    render,
    unknown_placeholders,
    used_placeholders,
)
from secondround.messaging.selectors import last_outcome, outcome_refusals
from secondround.prep.access import token_hash
from secondround.prep.models import InviteLink
from secondround.prep.services import DEFAULT_LINK_DAYS, create_invite_link

#: Outcomes that end the candidate's wait; "another conversation" keeps them a finalist.
FINAL_OUTCOMES = (MessageKind.OUTCOME_OFFER, MessageKind.OUTCOME_NOT_THIS_TIME)
# What hiring keeps of each, to close an application only on the word the candidate was told.
FINAL_OUTCOME_OF: dict[str, str] = {
    MessageKind.OUTCOME_OFFER: FinalOutcome.OFFER,
    MessageKind.OUTCOME_NOT_THIS_TIME: FinalOutcome.NOT_THIS_TIME,
}
NEXT_STEP_MAX = 2_000
CORRECTION_REASON_MAX = 2_000
PROMISE_HORIZON_DAYS = 366  # the furthest a promised decision date may be set ahead


@dataclass(frozen=True)
class Attachment:
    """A text file to attach, e.g. ``Attachment("interview.ics", ics_bytes, "text/calendar")``."""

    filename: str
    content: str | bytes
    mimetype: str = "application/octet-stream"


@dataclass(frozen=True)
class Invited:
    """An invitation queued, and how many earlier live links of the candidate it replaced."""

    message: Message
    replaced_links: int


def braced(name: str) -> str:
    return "{" + name + "}"


# --- templates ------------------------------------------------------------------------------


def can_edit_templates(user: User) -> bool:
    return user.is_org_admin or (user.is_organisation_member and user.role == Role.RECRUITER)


def require_template_editor(user: User) -> None:
    if not can_edit_templates(user):
        raise PermissionDenied(_("Only admins and recruiters edit message templates."))


def template_text(kind: str, language: str) -> TemplateText:
    """The organisation's wording of ``kind`` in ``language``, else the shipped default."""
    saved = MessageTemplate.objects.filter(kind=kind, language=language).first()
    if saved is not None:
        return TemplateText(saved.subject, saved.body_text)
    return default_templates(language)[kind]


def check_template(*, kind: str, language: str, subject: str, body_text: str) -> None:
    """Raise ValidationError naming the field and every placeholder ``kind`` does not offer."""
    errors: dict[str, str] = {}
    if kind not in MessageKind.values:
        errors["kind"] = _("Unknown kind of message “%s”.") % kind
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Unknown language “%s”.") % language
    if errors:
        raise ValidationError(errors)
    for field, text, limit in (
        ("subject", subject, SUBJECT_MAX),
        ("body_text", body_text, BODY_MAX),
    ):
        if not text.strip():
            errors[field] = _("This field is required.")
        elif len(text) > limit:
            errors[field] = _("At most %(limit)d characters (this has %(n)d).") % {
                "limit": limit,
                "n": len(text),
            }
        elif unknown := unknown_placeholders(kind, text):
            errors[field] = _(
                "Unknown placeholder %(names)s. This message offers: %(allowed)s."
            ) % {
                "names": ", ".join(braced(name) for name in unknown),
                "allowed": ", ".join(braced(name) for name in placeholders_for(kind)),
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_template(
    *, actor: User, kind: str, language: str, subject: str, body_text: str
) -> MessageTemplate:
    """Save the organisation's wording of one kind of message in one language."""
    require_template_editor(actor)
    check_template(kind=kind, language=language, subject=subject, body_text=body_text)
    template, _created = MessageTemplate.objects.update_or_create(
        kind=kind,
        language=language,
        defaults={"subject": subject.strip(), "body_text": body_text, "updated_by": actor},
    )
    return template


@transaction.atomic
def reset_template(*, actor: User, kind: str, language: str) -> None:
    """Go back to the shipped wording."""
    require_template_editor(actor)
    MessageTemplate.objects.filter(kind=kind, language=language).delete()


def sample_values(kind: str, language: str) -> dict[str, Value]:
    """Made-up values for the preview, so an editor sees every placeholder filled."""
    today = timezone.localdate()
    sample: dict[str, Value] = {
        "candidate_name": "Alex Example",
        "position_title": _("Senior Backend Engineer"),
        "company_name": company_name() or "Example Ltd",
        "recruiter_name": "Robin Recruiter",
        "recruiter_email": "robin@example.com",
        "portal_link": "https://jobs.example.com/portal/…",
        "decision_date": today + timedelta(days=10),
        "interview_date": today + timedelta(days=3),
        "schedule": "09:30 Welcome\n10:00 Deep dive\n11:00 Scenario",
        "next_step": _("A call with the hiring manager this week."),
    }
    return {name: sample[name] for name in placeholders_for(kind)}


def preview_template(*, kind: str, language: str, subject: str, body_text: str) -> RenderedMessage:
    """The message as a candidate would get it, with sample values; refuses what save refuses."""
    check_template(kind=kind, language=language, subject=subject, body_text=body_text)
    return render(TemplateText(subject, body_text), sample_values(kind, language), language)


# --- the outbox ---------------------------------------------------------------------------


def company_name() -> str:
    profile = CompanyProfile.objects.first()
    return profile.name if profile else ""


def reply_to_for(application: Application | None) -> User | None:
    """The position's first recruiter, else its hiring manager: a person who reads replies."""
    if application is None:
        return None
    recruiter = application.position.recruiters.filter(is_active=True).order_by("pk").first()
    return recruiter or application.position.hiring_manager


def standard_values(candidate: Candidate, application: Application | None) -> dict[str, Value]:
    """The values every kind offers, from the candidate and their application."""
    contact = reply_to_for(application)
    values: dict[str, Value] = {
        "candidate_name": candidate.full_name,
        "company_name": company_name(),
        "recruiter_name": contact.full_name if contact else "",
        "recruiter_email": contact.email if contact else "",
    }
    if application is not None:
        values["position_title"] = application.position.title
        if application.promised_decision_on:
            values["decision_date"] = application.promised_decision_on
    return values


def require_valid_email(candidate: Candidate) -> None:
    try:
        validate_email(candidate.email)
    except ValidationError:
        raise ValidationError(
            {
                "email": _(
                    "%(name)s has no valid email address (“%(email)s”), so nothing was sent. "
                    "Correct it on their record; their private page still works."
                )
                % {"name": candidate.full_name, "email": candidate.email}
            }
        ) from None


def site_base(site_url: str = "") -> str:
    """Where links in a message point: the site the sender is using (``site_url``, from the
    request), else SECONDROUND_BASE_URL (the worker and the CLI have no request)."""
    return (site_url or settings.SECONDROUND_BASE_URL).rstrip("/")


@dataclass(frozen=True)
class FreshLink:
    url: str
    replaced: int  # how many earlier live links of the candidate it revoked
    # For a message that links to one page of it (the letter); shown once, never stored.
    token: str = dataclass_field(default="", repr=False)


def replace_portal_link(
    *, actor: User, application: Application, site_url: str = "", days: int = DEFAULT_LINK_DAYS
) -> FreshLink:
    """The one rule for a link a message carries: the candidate has one live link.

    A token is shown once and only its hash is kept, so a live link cannot be put into another
    mail: a message either reuses the link the sender passes (``require_own_portal_link``) or
    carries a fresh one, which replaces every earlier live link (revoked here, by ``actor``).
    An older mail's link then says it was replaced and when the newer one was sent
    (``prep.access.replaced_on``). Call it inside the sending transaction.
    """
    live = InviteLink.objects.select_for_update().filter(
        application=application, revoked_at=None, expires_at__gt=timezone.now()
    )
    replaced = live.update(revoked_at=timezone.now(), revoked_by=actor)
    _link, token = create_invite_link(actor=actor, application=application, days=days)
    url = site_base(site_url) + reverse("prep-invitation", args=[token])
    return FreshLink(url, replaced, token)


def require_own_portal_link(application: Application, link: str, site_url: str = "") -> None:
    """Refuse, as ``portal_link``, anything but an http(s) link to one of this candidate's own
    live pages on this site: a link typed into a mail must not lead elsewhere (another site,
    ``javascript:``, another candidate's page)."""
    parts = urlsplit(link.strip())
    our_hosts = {urlsplit(site_base(site_url)).netloc.lower(), urlsplit(site_base()).netloc.lower()}
    try:
        token = resolve(parts.path).kwargs.get("token", "")
    except Resolver404:
        token = ""
    own = (
        parts.scheme in ("http", "https")
        and parts.netloc.lower() in our_hosts
        and token
        and InviteLink.objects.filter(
            application=application, token_hash=token_hash(token), revoked_at=None,
            expires_at__gt=timezone.now(),
        ).exists()
    )  # fmt: skip
    if not own:
        raise ValidationError(
            {"portal_link": _(
                "Only a live link to this candidate's own page on this site (%s/…) can go "
                "into the message. Leave it out and a fresh one is made."
            ) % site_base(site_url)}
        )  # fmt: skip


def _attachment_text(attachment: Attachment) -> str:
    if isinstance(attachment.content, str):
        return attachment.content
    try:
        return attachment.content.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationError(
            {"attachments": _("%s is not a text file.") % attachment.filename}
        ) from None


@transaction.atomic
def queue_message(
    *,
    kind: str,
    candidate: Candidate,
    application: Application | None = None,
    actor: User | None = None,
    values: Mapping[str, Value] | None = None,
    attachments: Sequence[Attachment] = (),
    site_url: str = "",
    time_zone: str = "",
) -> Message:
    """Render ``kind`` in the candidate's language and put it in the outbox for the worker.

    ``time_zone`` is the zone the candidate reads times in (their page's, which scheduling
    knows): datetimes in the subject and the body are written in it and name it.

    ``values`` fills the kind's own placeholders (``portal_link``, ``schedule``, …) and may
    override the standard ones; dates and datetimes are written in the candidate's language.
    ``actor`` is the person sending (they must be on the position's hiring team), or None when
    the system or the candidate's own action sends it. Without a ``portal_link`` value, an
    actor's message carries a fresh link that replaces the candidate's live ones
    (:func:`replace_portal_link`), pointing at ``site_url`` (see :func:`site_base`). Raises ValidationError naming ``email``
    when the candidate has no valid address, ``values`` when a placeholder the template uses
    has no value, ``kind`` for an unknown kind.
    """
    if kind not in MessageKind.values:
        raise ValidationError({"kind": _("Unknown kind of message “%s”.") % kind})
    if application is not None and application.candidate_id != candidate.pk:
        raise ValidationError({"application": _("This application is another candidate's.")})
    if actor is not None:
        if application is not None:
            require_manager(actor, application.position)
        else:
            require_candidate_team(actor, candidate)
    require_valid_email(candidate)
    language = candidate.language
    template = template_text(kind, language)
    filled = {**standard_values(candidate, application), **(values or {})}
    used = used_placeholders(template.subject) | used_placeholders(template.body_text)
    if "portal_link" in used and "portal_link" not in filled and application and actor:
        filled["portal_link"] = replace_portal_link(
            actor=actor, application=application, site_url=site_url
        ).url
    missing = sorted(used - set(filled))
    if missing:
        raise ValidationError(
            {
                "values": _("This message needs a value for %s.")
                % ", ".join(braced(name) for name in missing)
            }
        )
    rendered = render(template, filled, language, _zone(time_zone))
    contact = reply_to_for(application)
    message = Message.objects.create(
        candidate=candidate,
        application=application,
        kind=kind,
        language=language,
        to_email=candidate.email,
        reply_to=contact.email if contact else "",
        subject=rendered.subject[: SUBJECT_MAX * 2],
        body_text=rendered.body_text,
        queued_by=actor,
    )
    for attachment in attachments:
        MessageAttachment.objects.create(
            message=message,
            filename=attachment.filename[:120],
            mimetype=attachment.mimetype,
            content=_attachment_text(attachment),
        )
    _deliver_after_commit(message.pk)
    return message


def _zone(name: str) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": _("Unknown time zone “%s”.") % name}) from None


def _deliver_after_commit(message_id: int) -> None:
    from secondround.messaging.tasks import deliver_message

    transaction.on_commit(lambda: deliver_message.enqueue(message_id))


@transaction.atomic
def resend_message(*, actor: User, message: Message) -> Message:
    """Send a message again by hand (a failed one, or a sent one the candidate lost)."""
    _require_message_sender(actor, message)
    message = Message.objects.select_for_update().get(pk=message.pk)
    require_valid_email(message.candidate)
    message.to_email = message.candidate.email  # a corrected address is used
    message.state = MessageState.QUEUED
    message.attempts = 0
    message.next_attempt_at = None
    message.save(update_fields=["to_email", "state", "attempts", "next_attempt_at"])
    _deliver_after_commit(message.pk)
    return message


def require_candidate_team(actor: User, candidate: Candidate) -> None:
    """Someone on the hiring team of every position the candidate applied for; admins for one
    with no application (but not for a rival on a position the admin applied for)."""
    positions = [a.position for a in candidate.applications.select_related("position")]
    if not positions and not actor.is_org_admin:
        raise PermissionDenied
    for position in positions:
        require_manager(actor, position)


def can_send_for(user: User, application: Application) -> bool:
    """Whether the user may send messages about this application (its hiring team, admins)."""
    return can_manage_position(user, application.position)


def _require_message_sender(actor: User, message: Message) -> None:
    if message.application is not None:
        require_manager(actor, message.application.position)
    elif not actor.is_org_admin:
        raise PermissionDenied(_("Only admins can resend this message."))


# --- outcomes, next steps, promised dates, languages --------------------------------------


@transaction.atomic
def send_outcome(
    *, actor: User, application: Application, outcome: str, next_step: str = "",
    correction_reason: str = "", portal_link: str = "", site_url: str = "",
    values: Mapping[str, Value] | None = None,
) -> Message:  # fmt: skip
    """Tell a finalist the outcome (offer, another conversation, not this time).

    A final outcome (offer, not this time) is recorded on the application, which lets it be
    closed (``hiring.services.move_application``) without a reason for not telling them.
    Once one has gone out, a *different* outcome contradicts it and is sent only as a
    correction, with ``correction_reason`` kept on the message. ``portal_link`` (from a
    client) must be the candidate's own live page on this site; ``values`` is for callers in
    the code only.
    """
    require_manager(actor, application.position)
    # Two senders at once: the second waits here, then sees the first one's outcome.
    Application.objects.select_for_update().filter(pk=application.pk).first()
    if outcome not in OUTCOME_KINDS:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    refused = outcome_refusals(application).get(outcome)
    if refused:
        raise ValidationError({"outcome": refused})
    next_step = next_step.strip()
    if outcome != MessageKind.OUTCOME_NOT_THIS_TIME and not next_step:
        raise ValidationError({"next_step": _("Say what happens next for the candidate.")})
    if len(next_step) > NEXT_STEP_MAX:
        raise ValidationError({"next_step": _("At most %d characters.") % NEXT_STEP_MAX})
    correction_reason = _correction_of(application, outcome, correction_reason.strip())
    filled: dict[str, Value] = {"next_step": next_step, **(values or {})}
    if portal_link:
        require_own_portal_link(application, portal_link, site_url)
        filled["portal_link"] = portal_link.strip()
    message = queue_message(
        kind=outcome,
        candidate=application.candidate,
        application=application,
        actor=actor,
        values=filled,
        site_url=site_url,
    )
    if correction_reason:
        Message.objects.filter(pk=message.pk).update(correction_reason=correction_reason)
        message.correction_reason = correction_reason
    if outcome in FINAL_OUTCOMES:
        told = FINAL_OUTCOME_OF[outcome]
        Application.objects.filter(pk=application.pk).update(
            outcome_sent_at=message.created_at, final_outcome=told
        )
        application.outcome_sent_at, application.final_outcome = message.created_at, told
    return message


def _correction_of(application: Application, outcome: str, reason: str) -> str:
    """The reason to keep with this outcome: "" unless it contradicts the final outcome the
    candidate was already told, which it may only correct with a reason."""
    told = last_outcome(application, final=True)
    if told is None or told.kind == outcome:
        return ""  # the first word, or the same one again: nothing contradicts it
    if not reason:
        raise ValidationError(
            {"correction_reason": _(
                "%(candidate)s was already told “%(told)s” on %(when)s. A different outcome "
                "contradicts it: send it only as a correction, saying why."
            ) % {
                "candidate": application.candidate,
                "told": told.get_kind_display(),
                "when": date_format(timezone.localtime(told.created_at), "j M Y, H:i"),
            }}
        )  # fmt: skip
    if len(reason) > CORRECTION_REASON_MAX:
        raise ValidationError(
            {"correction_reason": _("At most %d characters.") % CORRECTION_REASON_MAX}
        )
    return reason


@transaction.atomic
def send_invitation(*, actor: User, application: Application, site_url: str = "") -> Invited:
    """Invite a finalist to round two: the message carries a fresh link to their portal.

    The new link replaces the candidate's earlier live ones (``replace_portal_link``), so
    inviting again (a lost mail, a second click) leaves one way in, not one more each time.
    """
    require_manager(actor, application.position)
    if application.stage not in Stage.finalists():
        raise ValidationError({"application": _("Only finalists in round two are invited.")})
    link = replace_portal_link(actor=actor, application=application, site_url=site_url)
    message = queue_message(
        kind=MessageKind.INVITATION,
        candidate=application.candidate,
        application=application,
        actor=actor,
        values={"portal_link": link.url},
        site_url=site_url,
    )
    return Invited(message, link.replaced)


@transaction.atomic
def send_next_steps(
    *, actor: User, application: Application, values: Mapping[str, Value] | None = None,
    site_url: str = "",
) -> Message:  # fmt: skip
    """After the loop: thank the candidate and promise the decision date."""
    require_manager(actor, application.position)
    if application.promised_decision_on is None:
        raise ValidationError(
            {"promised_decision_on": _("Set the date you promise a decision by first.")}
        )
    return queue_message(
        kind=MessageKind.NEXT_STEPS,
        candidate=application.candidate,
        application=application,
        actor=actor,
        values=values,
        site_url=site_url,
    )


@transaction.atomic
def set_promised_decision_date(*, actor: User, application: Application, on: date) -> Application:
    """The hiring team moves the date the candidate was promised a decision by.

    A new date lies between today and a year ahead; the stored one saved again unchanged
    (it may have passed since) is kept as it is.
    """
    require_manager(actor, application.position)
    stored = Application.objects.filter(pk=application.pk).values_list(
        "promised_decision_on", flat=True
    )
    if on == stored.first():
        application.promised_decision_on = on
        return application
    today = timezone.localdate()
    if on < today:
        raise ValidationError({"promised_decision_on": _("The date cannot be in the past.")})
    # The candidate is shown this date: a slip of the year (2062 for 2026) must not become a
    # promise, and a decision more than a year away is none.
    if on > today + timedelta(days=PROMISE_HORIZON_DAYS):
        raise ValidationError(
            {"promised_decision_on": _("Choose a date within a year from today.")}
        )
    Application.objects.filter(pk=application.pk).update(promised_decision_on=on)
    application.promised_decision_on = on
    return application


@transaction.atomic
def set_candidate_language(
    *, candidate: Candidate, language: str, actor: User | None = None
) -> Candidate:
    """Choose the language of the candidate's messages and pages.

    ``actor`` is the recruiter choosing it (on the hiring team of one of the candidate's
    positions), or None when the candidate chooses on their own page.
    """
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Unknown language “%s”.") % language})
    if actor is not None:
        require_candidate_team(actor, candidate)
    Candidate.objects.filter(pk=candidate.pk).update(language=language)
    candidate.language = language
    return candidate
