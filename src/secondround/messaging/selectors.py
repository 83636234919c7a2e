"""Reads for messages. Scoped to what the user may see, except ``messages_for_candidate``,
which the portal calls after its private link has identified the candidate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.models import User
from secondround.debrief.models import Decision, DecisionKind
from secondround.hiring.models import Application, Candidate, Stage

# The language rule lives with the candidate (hiring), so the private-link pages below
# messaging can speak it too; it is re-exported here for messaging's callers.
from secondround.hiring.selectors import candidate_language as candidate_language
from secondround.hiring.selectors import managed_positions
from secondround.messaging.models import (
    OUTCOME_KINDS,
    Message,
    MessageKind,
    MessageState,
    MessageTemplate,
)

#: Finalists still waiting for a decision: the promise of a date applies to them.
WAITING_STAGES = (Stage.SECOND_ROUND, Stage.DECISION, Stage.OFFER)
FINAL_OUTCOMES = (MessageKind.OUTCOME_OFFER, MessageKind.OUTCOME_NOT_THIS_TIME)


def messages_for_candidate(candidate: Candidate) -> QuerySet[Message]:
    """Every message to the candidate, newest first, for their own page (no permission check:
    the caller has identified the candidate by their private link)."""
    return (
        Message.objects.filter(candidate=candidate)
        .select_related("application__position")
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")
    )


def outbox_visible_to(user: User) -> QuerySet[Message]:
    """Messages about applications of positions whose hiring team the user is on (all for
    admins), newest first."""
    messages = Message.objects.select_related("candidate", "application__position")
    about = Q(application__position__in=managed_positions(user))
    if user.is_org_admin:
        about |= Q(application=None)  # account and system mail, about no application
    return messages.filter(about).order_by("-created_at", "-id")


def last_outcome(application: Application, *, final: bool = False) -> Message | None:
    """The newest outcome message queued for the application (only offer or "not this time"
    with ``final``), or None."""
    kinds = FINAL_OUTCOMES if final else OUTCOME_KINDS
    return (
        Message.objects.filter(application=application, kind__in=kinds)
        .order_by("-created_at", "-id")
        .first()
    )


def outcome_refusals(application: Application) -> dict[str, str]:
    """The outcomes the recorded decision does not allow yet, each with why.

    The debrief decides and the message tells: an offer needs a hire decision recorded
    first. "Not this time" goes out *before* the reject is recorded (recording a reject
    closes the application, which needs the outcome sent or a reason why not), so it needs
    no decision, only none that says hire. "Another conversation" needs no decision either,
    but none that closes the question: a hire or a reject on record would be contradicted by
    inviting the candidate back.
    """
    decided = Decision.objects.filter(application=application).first()
    candidate = application.candidate
    if decided is None:
        return {MessageKind.OUTCOME_OFFER: _(
            "An offer needs a hire decision: none is recorded for %(candidate)s yet. Record "
            "it in the debrief first."
        ) % {"candidate": candidate}}  # fmt: skip
    names = {"candidate": candidate, "decision": decided.get_decision_display()}
    refused: dict[str, str] = {}
    if decided.decision == DecisionKind.HIRE:
        refused[MessageKind.OUTCOME_NOT_THIS_TIME] = (
            _(
                "The recorded decision for %(candidate)s is “%(decision)s”: change it in the "
                "debrief before telling them “not this time”."
            )
            % names
        )
    else:
        refused[MessageKind.OUTCOME_OFFER] = (
            _(
                "An offer needs a hire decision: the recorded decision for %(candidate)s is "
                "“%(decision)s”. Change it in the debrief first."
            )
            % names
        )
    if decided.decision in (DecisionKind.HIRE, DecisionKind.REJECT):
        refused[MessageKind.OUTCOME_ANOTHER_CONVERSATION] = (
            _(
                "The recorded decision for %(candidate)s is “%(decision)s”: change it in the "
                "debrief before inviting them to another conversation."
            )
            % names
        )
    return refused


#: The messages that tell the candidate where they stand: an outcome, or the next steps after
#: the loop with the date they will hear by.
WHERE_YOU_STAND_KINDS = (*OUTCOME_KINDS, MessageKind.NEXT_STEPS)


def last_word_on_standing(application: Application) -> Message | None:
    """The newest outcome or next-steps message queued for the application: what the candidate
    was last told about where they stand (their own page shows every queued message)."""
    return (
        Message.objects.filter(application=application, kind__in=WHERE_YOU_STAND_KINDS)
        .order_by("-created_at", "-id")
        .first()
    )


def messages_for_application(user: User, application: Application) -> QuerySet[Message]:
    return outbox_visible_to(user).filter(application=application)


def get_visible_message(user: User, message_id: int) -> Message:
    """The message, or Message.DoesNotExist when the user may not see it."""
    return outbox_visible_to(user).get(pk=message_id)


def edited_templates() -> list[tuple[str, str]]:
    """(kind, language) of the templates the organisation has reworded."""
    return list(MessageTemplate.objects.values_list("kind", "language"))


def is_template_edited(kind: str, language: str) -> bool:
    return MessageTemplate.objects.filter(kind=kind, language=language).exists()


@dataclass(frozen=True)
class OwedDecision:
    application: Application
    why: str  # "overdue", "no_date", "decided_untold"
    promised_on: date | None


def owed_decisions(user: User, *, today: date | None = None) -> list[OwedDecision]:
    """Finalists the candidate is owed word on, for the recruiter's home page: past the
    promised decision date without a final outcome message, without a promised date, or
    decided without an outcome message since the decision (failed messages do not count)."""
    today = today or timezone.localdate()
    delivered = Message.objects.filter(application=OuterRef("pk")).exclude(
        state=MessageState.FAILED
    )
    decisions = Decision.objects.filter(application=OuterRef("pk")).exclude(
        decision=DecisionKind.ON_HOLD
    )
    applications = (
        Application.objects.filter(position__in=managed_positions(user), stage__in=WAITING_STAGES)
        .select_related("candidate", "position")
        .annotate(
            told=Exists(delivered.filter(kind__in=FINAL_OUTCOMES)),
            decided=Exists(decisions),
            told_since_decision=Exists(
                delivered.filter(
                    kind__in=OUTCOME_KINDS,
                    created_at__gte=OuterRef("decision__decided_at"),
                )
            ),
        )
        .filter(
            Q(promised_decision_on__isnull=True)
            | Q(promised_decision_on__lt=today, told=False)
            | Q(decided=True, told_since_decision=False)
        )
        .order_by("promised_decision_on", "candidate__full_name")
    )
    return [
        OwedDecision(application, _why(application, today), application.promised_decision_on)
        for application in applications
    ]


def _why(application: Application, today: date) -> str:
    if application.decided and not application.told_since_decision:  # type: ignore[attr-defined]
        return "decided_untold"
    if application.promised_decision_on is None:
        return "no_date"
    return "overdue"
