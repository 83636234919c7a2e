"""Keep Interview rows in step when a booked session disappears with its loop.

Re-planning a loop (loops app) deletes its sessions; their ScheduledSession and SeatAssignment
rows go by cascade, and the Interview behind each assignment must go too, or reminders would
fire and home pages would show an interview that no longer exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from secondround.hiring.models import Interview
from secondround.scheduling.models import SeatAssignment


@receiver(post_delete, sender=SeatAssignment)
def delete_interview(sender: type[SeatAssignment], instance: SeatAssignment, **kwargs: Any) -> None:
    Interview.objects.filter(pk=instance.interview_id).delete()
