"""Two people editing the same text: a save based on an old copy is refused, not lost.

An editing page carries the revision it was opened at (the record's ``updated_at``, or
``NEW`` when there was nothing saved yet). The service compares it with what is stored now:
when someone saved in between, it refuses with the name of who and when, and the page
keeps the refused text so nothing typed is lost; saving again replaces theirs knowingly.
Scripts (the API, the command line) send no revision and keep "last save wins".
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

NEW = "new"
STALE = "stale"  # the refusal's code, for a page that offers to save again
#: The field a refusal names (a hidden one on the pages: it shows above the form).
FIELD = "revision"


def revision_of(saved_at: datetime | None) -> str:
    """The revision a page opened now would carry."""
    return NEW if saved_at is None else saved_at.isoformat()


def require_current(based_on: str | None, saved_at: datetime | None, saved_by: object) -> None:
    """Refuse a save opened at ``based_on`` when ``saved_at`` (by ``saved_by``) came since.

    ``None`` means the caller does not track revisions (a script): nothing is checked.
    """
    if based_on is None or based_on == revision_of(saved_at):
        return
    when = date_format(timezone.localtime(saved_at), "DATETIME_FORMAT") if saved_at else ""
    message = _(
        "%(who)s saved this at %(when)s, after you opened it. Your text is below and is not "
        "saved: reload to see theirs, or save again to replace theirs with yours."
    ) % {"who": saved_by or _("Someone"), "when": when}
    raise ValidationError({FIELD: ValidationError(message, code=STALE)})
