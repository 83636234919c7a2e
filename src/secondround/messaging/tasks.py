"""Background work for messages: delivery with back-off, and overdue-decision reminders."""

from __future__ import annotations

from django.tasks import task

from secondround.messaging.delivery import deliver


@task()
def deliver_message(message_id: int) -> None:
    """Send one outbox message; on failure queue the next try after the back-off."""
    retry_at = deliver(message_id)
    if retry_at is not None:
        deliver_message.using(run_after=retry_at).enqueue(message_id)


@task()
def remind_overdue_decisions() -> None:
    """Remind hiring teams of finalists past their promised decision date (once a day each)."""
    from secondround.messaging.reminders import send_overdue_reminders

    send_overdue_reminders()
