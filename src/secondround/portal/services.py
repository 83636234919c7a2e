"""Writes for the candidate's portal: one atomic call per action; bad input changes nothing.

The candidate acts through their private link (no account): ``submit_question`` and
``save_adjustments`` and ``save_preferences`` take the link's application. The hiring team acts with an account:
``route_question`` (recruiters change the suggested session), ``mark_question_answered``
(the interviewer of that session, from their kit), ``answer_question_in_writing`` (the
hiring team, for questions left open after the loop).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.hiring.models import Application
from secondround.hiring.selectors import can_manage_position, require_manager
from secondround.loops.models import LoopSession
from secondround.messaging.services import set_candidate_language
from secondround.portal import routing
from secondround.portal.models import AdjustmentRequest, Need
from secondround.portal.selectors import (
    MAX_SHARED_QUESTIONS,
    accepts_questions,
    routing_choices,
    shared_questions,
)
from secondround.prep import guidance
from secondround.prep.models import CandidateQuestion, KitSource, PrepKit
from secondround.scheduling.models import CandidateTimeZone, validate_time_zone

QUESTION_LIMIT = 400  # CandidateQuestion.text's length
ANSWER_LIMIT = 2_000
DETAILS_LIMIT = 2_000


@transaction.atomic
def save_preferences(
    *, application: Application, language: str, time_zone: str
) -> CandidateTimeZone:
    """The candidate's language (their pages and messages follow it) and their one time zone,
    the same the scheduling page reads and writes (``scheduling.CandidateTimeZone``): a zone
    chosen here shows there, and in every browser the candidate opens the link in."""
    errors: dict[str, list[str]] = {}
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose one of the languages listed.")]
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        errors["time_zone"] = error.messages
    if errors:
        raise ValidationError(errors)
    zone, _created = CandidateTimeZone.objects.update_or_create(
        application=application, defaults={"time_zone": time_zone}
    )
    set_candidate_language(candidate=application.candidate, language=language)
    return zone


@transaction.atomic
def submit_question(*, application: Application, text: str, topic: str = "") -> CandidateQuestion:
    """Send a question to the hiring team, routed to the session best placed to answer it."""
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": _("Write the question you would like answered.")})
    if len(text) > QUESTION_LIMIT:
        raise ValidationError(
            {"text": _("Keep a question under %(n)d characters.") % {"n": QUESTION_LIMIT}}
        )
    if topic and topic not in guidance.TOPIC_LABELS:
        raise ValidationError({"topic": _("Choose one of the topics listed.")})
    if not accepts_questions(application):
        raise ValidationError(
            {"text": _("Your conversations are over: ask the recruiter directly instead.")}
        )
    sent = list(shared_questions(application))
    if any(q.text.lower() == text.lower() for q in sent):
        raise ValidationError({"text": _("You have already sent this question.")})
    if len(sent) >= MAX_SHARED_QUESTIONS:
        raise ValidationError(
            {"text": _("You can send at most %(n)d questions.") % {"n": MAX_SHARED_QUESTIONS}}
        )
    kit, _created = PrepKit.objects.get_or_create(
        application=application, defaults={"source": KitSource.INVITATION}
    )
    topic = topic or routing.infer_topic(text)
    session_id = routing.suggest_session(topic, text, routing_choices(application))
    order = max((q.order for q in kit.my_questions.all()), default=0) + 1
    return CandidateQuestion.objects.create(
        kit=kit,
        text=text,
        topic=topic,
        order=order,
        shared_at=timezone.now(),
        session_id=session_id,
    )


def _shared_question_of(question: CandidateQuestion) -> Application:
    if question.shared_at is None or question.kit.application is None:
        raise CandidateQuestion.DoesNotExist
    return question.kit.application


@transaction.atomic
def route_question(
    *, actor: User, question: CandidateQuestion, session: LoopSession | None
) -> CandidateQuestion:
    """The hiring team moves a question to another session of the candidate's loop."""
    application = _shared_question_of(question)
    require_manager(actor, application.position)
    if session is not None and session.plan.position_id != application.position_id:
        raise ValidationError({"session": _("Choose a session of this candidate's loop.")})
    question.session = session
    question.routed_by = actor
    question.save(update_fields=["session", "routed_by"])
    return question


def _may_mark(actor: User, question: CandidateQuestion, application: Application) -> bool:
    if can_manage_position(actor, application.position):
        return True
    session = question.session
    return session is not None and session.seats.filter(interviewer=actor).exists()


@transaction.atomic
def mark_question_answered(
    *, actor: User, question: CandidateQuestion, answered: bool = True
) -> CandidateQuestion:
    """The interviewer of the question's session (or the hiring team) marks it answered."""
    application = _shared_question_of(question)
    if not _may_mark(actor, question, application):
        raise PermissionDenied("Only the session's interviewers or the hiring team can mark it.")
    question.answered_at = timezone.now() if answered else None
    question.answered_by = actor if answered else None
    question.save(update_fields=["answered_at", "answered_by"])
    return question


@transaction.atomic
def answer_question_in_writing(
    *, actor: User, question: CandidateQuestion, text: str
) -> CandidateQuestion:
    """The hiring team's written answer to a question the loop left open; shown on the portal."""
    application = _shared_question_of(question)
    require_manager(actor, application.position)
    text = text.strip()
    if not text:
        raise ValidationError({"written_answer": _("Write the answer the candidate will read.")})
    if len(text) > ANSWER_LIMIT:
        raise ValidationError(
            {"written_answer": _("Keep the answer under %(n)d characters.") % {"n": ANSWER_LIMIT}}
        )
    question.written_answer = text
    question.written_answer_at = timezone.now()
    question.written_answer_by = actor
    question.save(update_fields=["written_answer", "written_answer_at", "written_answer_by"])
    return question


def adjustments_closed() -> str:
    """Why adjustments are no longer taken: the conversations they were for have taken place."""
    return _(
        "Your conversations with us have taken place, so there is nothing left to arrange "
        "here and nothing was changed. If something would help you in a conversation still "
        "to come, please write to the recruiter."
    )


@transaction.atomic
def save_adjustments(
    *, application: Application, needs: Sequence[str], details: str
) -> AdjustmentRequest:
    """The candidate's request for adjustments (replaces the earlier one), taken while their
    conversations are ahead, as questions are (the page shows the form only then)."""
    if not accepts_questions(application):
        raise ValidationError(adjustments_closed())
    unknown = [n for n in needs if n not in Need.values]
    if unknown:
        raise ValidationError({"needs": _("Choose from the adjustments listed.")})
    details = details.strip()
    if len(details) > DETAILS_LIMIT:
        raise ValidationError(
            {"details": _("Keep this under %(n)d characters.") % {"n": DETAILS_LIMIT}}
        )
    request, _created = AdjustmentRequest.objects.update_or_create(
        application=application,
        defaults={
            "needs": [n for n in Need.values if n in needs],
            "details": details,
            "updated_at": timezone.now(),
        },
    )
    return request
