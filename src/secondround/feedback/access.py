"""The candidate's private link, for pages that come after the outcome (letter, survey).

The same hashed, expiring, revocable link as the preparation kit (``prep.selectors``). Unlike
the kit, these pages stay open once the application is closed: the feedback letter and the
second survey come after a rejection or a hire.
"""

from __future__ import annotations

from secondround.hiring.models import Application
from secondround.prep.models import InviteLink
from secondround.prep.selectors import LinkRefused, link_for_token


def application_for_token(token: str) -> Application:
    """The application a link opens.

    InviteLink.DoesNotExist for an unknown token; LinkRefused ("revoked" or "expired") for a
    link that may not be used any more.
    """
    if not token or len(token) > 200:
        raise InviteLink.DoesNotExist
    link = link_for_token(token)
    if link.revoked_at is not None:
        raise LinkRefused("revoked")
    if link.is_expired:
        raise LinkRefused("expired")
    return Application.objects.select_related("candidate", "position").get(pk=link.application_id)


__all__ = ["LinkRefused", "application_for_token"]
