"""Bookings' answer to hiring's closing step (`hiring/closing.py`): a closed application keeps
no conversation ahead of it.

Called inside ``move_application``'s transaction when a finalist is rejected, withdrawn or
hired: the sessions that have not begun are cancelled (scheduling's ``cancel_sessions_ahead``:
their ``Interview`` rows go, so no reminder, agenda or candidate page shows them, and no video
link stays live on the candidate's page), the panel gets CANCEL invitations after commit, and
open options are withdrawn. Sessions that began or took place stay as history. The candidate
gets one short message with the CANCELs (their calendar still holds the events the booking
sent), besides the outcome message that told them why.
"""

from __future__ import annotations

from secondround.accounts.models import User
from secondround.bookings.invites import CandidateNotice, send_invitations
from secondround.bookings.models import LoopOffer, OfferStatus
from secondround.calendars.invitations import Method
from secondround.hiring.models import Application
from secondround.messaging.models import MessageKind
from secondround.scheduling.services import cancel_sessions_ahead

CLOSED_REASON = "The application was closed."


class ReleaseBookings:
    def application_closed(self, *, actor: User, application: Application) -> None:
        LoopOffer.objects.filter(application=application, status=OfferStatus.OPEN).update(
            status=OfferStatus.WITHDRAWN
        )
        cancelled = cancel_sessions_ahead(application, actor, CLOSED_REASON)
        send_invitations(
            cancelled.sessions, method=Method.CANCEL, people=cancelled.people,
            # From no one in particular: the close is the news, and this message makes no link.
            candidate=CandidateNotice(MessageKind.SESSIONS_CANCELLED),
        )  # fmt: skip
