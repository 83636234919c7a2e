"""The one place bookings hands a mail over for sending.

Today a task of ours sends it through Django's mailer; when the messaging outbox is merged
this function queues into it instead (one edit), keeping attachments and recipients.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def queue_mail(*, to: str, subject: str, body: str, attachments: Sequence[Attachment] = ()) -> None:
    """Send after the current transaction commits, through the task worker (retried there)."""
    from secondround.bookings.tasks import send_booking_mail

    payload = [(a.filename, a.content.decode(), a.mimetype) for a in attachments]
    transaction.on_commit(
        lambda: send_booking_mail.enqueue(to=to, subject=subject, body=body, attachments=payload)
    )
