"""Background work for bookings: mails with invitations, expiring unpicked options."""

from __future__ import annotations

from django.core.mail import EmailMessage
from django.tasks import task


@task()
def send_booking_mail(
    *, to: str, subject: str, body: str, attachments: list[tuple[str, str, str]]
) -> None:
    """One mail with its .ics attachments (text, so the task's arguments stay JSON)."""
    message = EmailMessage(subject=subject, body=body, to=[to])
    for filename, content, mimetype in attachments:
        message.attach(filename, content.encode(), mimetype)
    message.send()


@task()
def expire_loop_offers() -> int:
    """Close every open offer past its expiry (reads never write; the worker does it)."""
    from secondround.bookings.services import expire_offers

    return expire_offers()


@task()
def remind_candidates_of_tomorrow() -> int:
    """The day-before reminder to each candidate whose loop starts tomorrow (once)."""
    from secondround.bookings import reminders

    return reminders.remind_candidates_of_tomorrow()
