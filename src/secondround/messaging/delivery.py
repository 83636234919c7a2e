"""Sending one outbox message over SMTP, with retries and back-off.

A failed try keeps the server's answer and schedules the next one after
``SECONDROUND_MAIL_RETRY_SECONDS × 2^(attempts-1)``; after ``SECONDROUND_MAIL_MAX_ATTEMPTS``
the message is marked failed and stays in the outbox to be resent by hand. Nothing is deleted.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from secondround.messaging.models import Message, MessageState

log = logging.getLogger(__name__)


def max_attempts() -> int:
    return max(1, int(getattr(settings, "SECONDROUND_MAIL_MAX_ATTEMPTS", 5)))


def retry_delay(attempts: int) -> timedelta:
    base = float(getattr(settings, "SECONDROUND_MAIL_RETRY_SECONDS", 60))
    return timedelta(seconds=base * 2 ** max(0, attempts - 1))


def build_email(message: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        to=[message.to_email],
        reply_to=[message.reply_to] if message.reply_to else None,
        headers={"Content-Language": message.language},
    )
    email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments.all():
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email


def server_answer(error: Exception) -> str:
    """What the mail server said, or why it could not be reached, for the outbox page."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return f"{error.smtp_code} {text}"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {reply.decode(errors='replace')}"
            for address, (code, reply) in error.recipients.items()
        )
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


#: How long a claimed try may take before another task may try the same message.
CLAIM = timedelta(minutes=10)


def claim(message_id: int) -> Message | None:
    """Count a try and hold the message for it; None when there is nothing to send now.

    The send itself happens outside the transaction, so a slow mail server never holds the
    database's write lock; the claim keeps a duplicate task (a resend beside a scheduled retry)
    from sending the same message twice.
    """
    now = timezone.now()
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.state != MessageState.QUEUED:
            return None  # sent meanwhile, failed for good, or erased with its candidate
        if message.next_attempt_at is not None and message.next_attempt_at > now:
            return None  # another try holds it, or its retry is not due yet
        message.attempts += 1
        message.next_attempt_at = now + CLAIM
        message.save(update_fields=["attempts", "next_attempt_at"])
        return message


def deliver(message_id: int) -> datetime | None:
    """Try to send a queued message once. Returns when to try again, or None when done."""
    message = claim(message_id)
    if message is None:
        return None
    try:
        build_email(message).send()
    except Exception as error:  # any failure is kept and retried, never lost
        log.warning("message %s: try %s failed: %s", message.pk, message.attempts, error)
        message.last_error = server_answer(error)[:2000]
        if message.attempts >= max_attempts():
            message.state, message.next_attempt_at = MessageState.FAILED, None
        else:
            message.next_attempt_at = timezone.now() + retry_delay(message.attempts)
    else:
        message.state, message.sent_at, message.next_attempt_at = (
            MessageState.SENT,
            timezone.now(),
            None,
        )
    Message.objects.filter(pk=message.pk, state=MessageState.QUEUED).update(
        state=message.state,
        sent_at=message.sent_at,
        last_error=message.last_error,
        next_attempt_at=message.next_attempt_at,
    )
    return message.next_attempt_at
