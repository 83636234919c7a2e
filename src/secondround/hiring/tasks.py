"""Background work for the hiring domain, run by the django-tasks-db worker."""

from __future__ import annotations

from django.core.mail import send_mail
from django.tasks import task
from django.utils.translation import gettext as _

from secondround.accounts.language import speaking_to
from secondround.hiring.models import Application


@task()
def notify_hiring_manager_of_finalist(application_id: int) -> None:
    """Tell the hiring manager that a candidate has reached the second round."""
    application = Application.objects.select_related("candidate", "position__hiring_manager").get(
        pk=application_id
    )
    manager = application.position.hiring_manager
    with speaking_to(manager):
        _mail_manager(application)


def _mail_manager(application: Application) -> None:
    manager = application.position.hiring_manager
    send_mail(
        subject=_("%(candidate)s is in the second round for %(position)s")
        % {"candidate": application.candidate, "position": application.position},
        message=_(
            "Hello %(name)s,\n\n%(candidate)s has moved to the second round for %(position)s.\n"
            "Plan their loop and carry over what round one left open.\n"
        )
        % {
            "name": manager.get_short_name(),
            "candidate": application.candidate,
            "position": application.position,
        },
        from_email=None,
        recipient_list=[manager.email],
    )
