"""Remind the hiring team of finalists past the decision date they were promised.

At most once a day per application (``DecisionReminder`` is unique per application and day);
the row and the mail commit together, so a mail that fails is tried again on the next round.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from secondround.accounts.language import language_of
from secondround.hiring.models import Application
from secondround.messaging.models import DecisionReminder, Message, MessageState
from secondround.messaging.selectors import FINAL_OUTCOMES, WAITING_STAGES


def overdue_applications(today: date) -> list[Application]:
    told = Message.objects.filter(application=OuterRef("pk"), kind__in=FINAL_OUTCOMES).exclude(
        state=MessageState.FAILED
    )
    reminded_today = DecisionReminder.objects.filter(application=OuterRef("pk"), day=today)
    return list(
        Application.objects.filter(stage__in=WAITING_STAGES, promised_decision_on__lt=today)
        .exclude(Exists(told))
        .exclude(Exists(reminded_today))
        .select_related("candidate", "position__hiring_manager")
        .prefetch_related("position__recruiters")
    )


def send_overdue_reminders(*, today: date | None = None) -> int:
    """Mail each overdue finalist's hiring team; returns how many applications were reminded."""
    today = today or timezone.localdate()
    sent = 0
    for application in overdue_applications(today):
        try:
            with transaction.atomic():
                DecisionReminder.objects.create(application=application, day=today)
                _mail_team(application, today)
        except IntegrityError:
            continue  # another worker reminded them today
        sent += 1
    return sent


def _mail_team(application: Application, today: date) -> None:
    """One mail per language the team reads, each to everyone who reads it."""
    position = application.position
    team = [position.hiring_manager, *position.recruiters.all()]
    readers: dict[str, set[str]] = defaultdict(set)
    for person in team:
        if person.is_active:
            readers[language_of(person)].add(person.email)
    for language, emails in sorted(readers.items()):
        with translation.override(language):
            _mail_overdue(application, today, sorted(emails))


def _mail_overdue(application: Application, today: date, recipients: list[str]) -> None:
    position = application.position
    days = (today - application.promised_decision_on).days  # type: ignore[operator]
    send_mail(
        subject=_("Overdue: %(candidate)s was promised a decision by %(date)s")
        % {"candidate": application.candidate, "date": application.promised_decision_on},
        message=_(
            "%(candidate)s (%(position)s) was promised a decision by %(date)s, %(days)d days "
            "ago, and has not been sent an outcome.\n\nSend the outcome from their application "
            "page, or move the promised date and tell them.\n"
        )
        % {
            "candidate": application.candidate,
            "position": position,
            "date": application.promised_decision_on,
            "days": days,
        },
        from_email=None,
        recipient_list=recipients,
    )
