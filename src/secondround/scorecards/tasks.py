"""Nudges: a reminder to write up an interview, and word to the manager when all are in."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from secondround.accounts.language import speaking_to
from secondround.hiring.models import Application, Interview
from secondround.loops.selectors import assessing_holders
from secondround.scorecards.models import Scorecard, ScorecardStatus


def _expected_interviewers(application: Application) -> set[int]:
    return assessing_holders(application)


def _submitted_interviewers(application: Application) -> set[int]:
    return set(
        Scorecard.objects.filter(
            application=application, round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
        ).values_list("interviewer_id", flat=True)
    )


@task()
def tell_manager_when_all_scorecards_are_in(application_id: int) -> bool:
    """Mail the hiring manager once every round-two interviewer has submitted. No ratings."""
    application = Application.objects.select_related("candidate", "position__hiring_manager").get(
        pk=application_id
    )
    expected = _expected_interviewers(application)
    if not expected or not expected <= _submitted_interviewers(application):
        return False
    with speaking_to(application.position.hiring_manager):
        _mail_all_in(application, count=len(expected))
    return True


def _mail_all_in(application: Application, *, count: int) -> None:
    manager = application.position.hiring_manager
    send_mail(
        subject=_("All round-two scorecards for %s are in") % application.candidate,
        message=_(
            "Hello %(name)s,\n\nEvery interviewer in %(candidate)s's round two has submitted "
            "their scorecard (%(count)d in all). The debrief for %(position)s is ready.\n"
        )
        % {
            "name": manager.get_short_name(),
            "candidate": application.candidate,
            "count": count,
            "position": application.position,
        },
        from_email=None,
        recipient_list=[manager.email],
    )


def _owes_no_scorecard(interview: Interview) -> bool:
    """Submitted already, or only hosted (welcome, questions, wrap-up rate nothing)."""
    application = interview.application
    # A replacement booked for this finalist owes it; the seat's own interviewer no longer does.
    assesses = interview.interviewer_id in assessing_holders(application)
    submitted = Scorecard.objects.filter(
        application=application, interviewer=interview.interviewer,
        round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED,
    )  # fmt: skip
    return not assesses or submitted.exists()


@task()
def remind_interviewers() -> int:
    """Nudge interviewers whose round-two scorecard is still open some hours after the session."""
    hours = getattr(settings, "SECONDROUND_SCORECARD_REMINDER_HOURS", 4)
    now = timezone.now()
    due = (
        Interview.objects.select_related("application__candidate", "interviewer")
        .filter(
            round=Scorecard.Round.TWO,
            reminded_at__isnull=True,
            starts_at__lte=now - timedelta(hours=hours),
        )
        .exclude(starts_at__lte=now - timedelta(days=14))
    )
    sent = 0
    reminded: set[tuple[int, int]] = set()
    for interview in due:
        if interview.ends_at + timedelta(hours=hours) > now:
            continue
        who = (interview.application_id, interview.interviewer_id)
        done = who in reminded or _owes_no_scorecard(interview)
        if not done:
            reminded.add(who)
            with speaking_to(interview.interviewer):
                _mail_scorecard_reminder(interview)
            sent += 1
        Interview.objects.filter(pk=interview.pk).update(reminded_at=now)
    return sent


def _mail_scorecard_reminder(interview: Interview) -> None:
    send_mail(
        subject=_("Your scorecard for %s") % interview.application.candidate,
        message=_(
            "Hello %(name)s,\n\nYour interview with %(candidate)s ended a few hours ago "
            "and your scorecard is not submitted yet. Write it while the evidence is "
            "fresh; your draft is saved as you type.\n"
        )
        % {
            "name": interview.interviewer.get_short_name(),
            "candidate": interview.application.candidate,
        },
        from_email=None,
        recipient_list=[interview.interviewer.email],
    )
