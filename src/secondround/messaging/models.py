"""Messages to candidates: the templates they are written from, and the outbox they leave by.

Every message is a row in the outbox before anything is sent, so nothing is lost when the mail
server is down: the worker sends it, retries with back-off, and marks it failed with the
server's answer after the last try; a person can send it again by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import Application, Candidate


class MessageKind(models.TextChoices):
    INVITATION = "invitation", _("Round-two invitation")
    SCHEDULE_CONFIRMATION = "schedule_confirmation", _("Schedule confirmation")
    REMINDER = "reminder", _("Reminder the day before")
    RESCHEDULE = "reschedule", _("Reschedule")
    NEXT_STEPS = "next_steps", _("Next steps after the loop")
    OUTCOME_OFFER = "outcome_offer", _("Outcome: offer")
    OUTCOME_ANOTHER_CONVERSATION = (
        "outcome_another_conversation",
        _("Outcome: another conversation"),
    )
    OUTCOME_NOT_THIS_TIME = "outcome_not_this_time", _("Outcome: not this time")
    FEEDBACK_READY = "feedback_ready", _("Feedback letter ready")
    SESSIONS_CANCELLED = "sessions_cancelled", _("Interview times cancelled")


OUTCOME_KINDS = (
    MessageKind.OUTCOME_OFFER,
    MessageKind.OUTCOME_ANOTHER_CONVERSATION,
    MessageKind.OUTCOME_NOT_THIS_TIME,
)

SUBJECT_MAX = 200
BODY_MAX = 20_000


class MessageTemplate(models.Model):
    """The organisation's own wording of one kind of message in one language.

    Without a row, the default shipped in ``messaging/default_templates/<language>.json`` is
    used; saving a template here replaces it, deleting it goes back to the default.
    """

    kind = models.CharField(_("kind"), max_length=40, choices=MessageKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    # Plain text only: the HTML part is made from it with every value escaped, so neither a
    # template nor a candidate's name can put markup into a mail or the portal.
    body_text = models.TextField(_("message"), max_length=BODY_MAX)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"], name="one_template_per_kind_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class MessageState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """One message to one candidate, as rendered when it was queued (later template edits do
    not change it), with its delivery state."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="messages")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=MessageKind.choices)
    language = models.CharField(_("language"), max_length=8)
    to_email = models.EmailField(_("to"))
    reply_to = models.EmailField(_("reply to"), blank=True)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX * 2)
    body_text = models.TextField(_("plain text"))
    state = models.CharField(
        _("state"), max_length=10, choices=MessageState.choices, default=MessageState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("the mail server's answer"), blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # An outcome that contradicts one already sent (offer after "not this time") goes out only
    # as a correction, and why is kept with it.
    correction_reason = models.TextField(_("why this corrects an earlier outcome"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="message_due")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"

    @property
    def body_html(self) -> str:
        """The HTML part, made from the text when sent. Not stored: erasure redacts the text,
        and an escaped copy of a name (O&#x27;Brien) would escape the redaction."""
        from secondround.messaging.rendering import to_html

        return to_html(self.body_text, self.language)


class MessageAttachment(models.Model):
    """A text attachment (an .ics invitation), kept with its message so a retry sends it too."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=120)
    mimetype = models.CharField(max_length=120)
    content = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.filename


class DecisionReminder(models.Model):
    """That the hiring team was reminded of an overdue decision on this day (at most once)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="decision_reminders"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "day"], name="one_reminder_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.application}: reminded {self.day}"
