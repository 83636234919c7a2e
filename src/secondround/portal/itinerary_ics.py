"""The candidate's whole loop as one ``.ics`` file, built with ``calendars/invitations.py``."""

from __future__ import annotations

from django.utils.translation import gettext as _

from secondround.calendars.invitations import Attendee, Contact, SessionEvent, personal_feed
from secondround.portal.selectors import Portal, Slot
from secondround.prep.access import link_contact

# Who the candidate replies to: the same person a refused link names (one rule, in prep).
organizer_of = link_contact


def _event(portal: Portal, slot: Slot) -> SessionEvent:
    people = "\n".join(
        f"{p.name}{' — ' + p.title if p.title else ''}{', ' + p.department if p.department else ''}"
        f"\n{p.why}"
        for p in slot.people
    )
    heading = _("You meet")
    booked = bool(slot.event_uid)
    return SessionEvent(
        loop_id=portal.application.pk if booked else f"candidate-{portal.application.pk}",
        session_id=slot.event_uid if booked else slot.ids[0],  # every unbooked slot has people
        title=f"{slot.title} — {portal.position.title}",
        start=slot.starts_at,
        end=slot.ends_at,
        time_zone=portal.zone.key,
        sequence=slot.sequence,
        attendees=(Attendee(email=portal.candidate.email, name=portal.candidate.full_name),),
        description=f"{heading}:\n{people}" if people else "",
        location=slot.place,
        video_url=slot.video_link,
    )


def itinerary_ics(portal: Portal, *, domain: str) -> bytes:
    organizer = organizer_of(portal.application) or Contact(
        email=portal.candidate.email, name=portal.candidate.full_name
    )
    return personal_feed(
        [_event(portal, slot) for slot in portal.slots],
        owner_name=portal.candidate.full_name,
        organizer=organizer,
        domain=domain,
    )
