"""Two people editing the same text: a save based on an old copy is refused, not lost.

An editing page carries the revision it was opened at (the record's ``updated_at``, or
``NEW`` when there was nothing saved yet). The service compares it with what is stored now:
when someone saved in between, it refuses with the name of who and when, and the page
keeps the refused text so nothing typed is lost; saving again replaces theirs knowingly.
A save that changes nothing is not stored (no new revision), so it refuses no one. Scripts (the API, the command line) send no revision and keep "last save wins".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, tzinfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

NEW = "new"
STALE = "stale"  # the refusal's code, for a page that offers to save again
#: The field a refusal names (a hidden one on the pages: it shows above the form).
FIELD = "revision"
#: How a refusal tells the time: "30 Nov 2026, 17:58 CET", as the booking pages do.
TIME_FORMAT = "j M Y, H:i T"


def _utc() -> tzinfo:
    return UTC


# The organisation's zone is kept by scheduling, above this module: the web app tells this
# module where to find it at start-up (WebConfig.ready). UTC until then.
_organisation_zone: Callable[[], tzinfo] = _utc


def tell_times_in(zone: Callable[[], tzinfo]) -> None:
    """Give refusals the organisation's time zone (asked for at each refusal: it may change)."""
    global _organisation_zone
    _organisation_zone = zone


def revision_of(saved_at: datetime | None) -> str:
    """The revision a page opened now would carry."""
    return NEW if saved_at is None else saved_at.isoformat()


def require_current(
    based_on: str | None, saved_at: datetime | None, saved_by: object, *, actor: object = None
) -> None:
    """Refuse a save opened at ``based_on`` when ``saved_at`` (by ``saved_by``) came since.

    ``None`` means the caller does not track revisions (a script): nothing is checked.
    ``actor`` is who saves now: when they made the change themselves (another tab), the
    refusal says "you". A save that changes nothing should not be stored at all (no new
    ``saved_at``), or it would refuse the real change of someone who opened it before.
    """
    if based_on is None or based_on == revision_of(saved_at):
        return
    raise ValidationError({FIELD: ValidationError(_refusal(saved_at, saved_by, actor), code=STALE)})


def _refusal(saved_at: datetime | None, saved_by: object, actor: object) -> str:
    # "everything on this page": on the position page that is the team as well as the text.
    what_next = _(
        "Nothing below is saved yet. Reload to see the stored version (losing what is below), "
        "or save again to store everything on this page as it is below, not only what you "
        "changed."
    )
    when = (
        date_format(timezone.localtime(saved_at, _organisation_zone()), TIME_FORMAT)
        if saved_at
        else ""
    )
    if actor is not None and saved_by == actor:
        changed = (
            _("You changed this in another tab at %(when)s, after you opened it here.")
            if when
            else _("You changed this in another tab after you opened it here.")
        )
    else:
        changed = (
            _("%(who)s changed this at %(when)s, after you opened it.")
            if when
            else _("%(who)s changed this after you opened it.")
        )
    return changed % {"who": saved_by or _("Someone"), "when": when} + " " + what_next
