"""Whole-loop options for one finalist: computed by the engine, stored, picked, booked.

An option is stored as the engine placed it: per session its start, end, the person in each
seat and the room. Picking books exactly that through ``scheduling.services.book_loop``,
which rechecks every clash inside its lock; when someone else took a person or room
meanwhile, the offer is superseded and the candidate gets fresh options with a notice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from secondround.accounts.models import User
from secondround.audit.models import AuditAction
from secondround.audit.services import record_event
from secondround.bookings.invites import CandidateNotice, send_invitations
from secondround.bookings.models import (
    Decline,
    DeclineResolution,
    LoopOffer,
    OfferKind,
    OfferStatus,
)
from secondround.bookings.selectors import loop_has_begun, week_grid_refusal
from secondround.calendars.invitations import Method
from secondround.engines import scheduling as engine
from secondround.hiring.models import Application
from secondround.hiring.selectors import require_manager
from secondround.loops.models import LoopSession
from secondround.loops.selectors import FINALIST_STAGES
from secondround.messaging.models import MessageKind
from secondround.scheduling import selectors as sched
from secondround.scheduling.models import (
    OPTION_COUNT_MAX,
    OPTION_EXPIRY_HOURS,
    Room,
    ScheduledSession,
    SessionStatus,
)
from secondround.scheduling.services import (
    Placement,
    book_loop,
    cancel_loop,
    set_candidate_availability,
)

OFFER_WINDOW_DAYS = 14
OPTION_SECONDS = 5.0  # the engine's time for all options together (split between them)

# Stored in English and translated when shown (the candidate may switch language).
TAKEN_NOTICE = gettext_noop(
    "Someone booked some of those times just before you. Here are fresh options."
)
EXPIRED_NOTICE = gettext_noop("Your earlier options expired. Here are fresh ones.")
TOO_SOON_NOTICE = gettext_noop(
    "Those times are now too close for the team to arrange. Here are fresh options."
)
NOTICES = {"taken": TAKEN_NOTICE, "expired": EXPIRED_NOTICE, "too_soon": TOO_SOON_NOTICE}


def _begun_refusal() -> str:
    return _(
        "Your interview has already begun, so it can no longer be moved here. "
        "Please write to your recruiter."
    )


def _outside_refusal() -> str:
    return _(
        "These options were withdrawn: they are outside the times you last told us you are "
        "free. Pick from the options shown now, or tick more half-days."
    )


def _booked_loop(application: Application) -> bool:
    return ScheduledSession.objects.filter(
        application=application, status=SessionStatus.BOOKED
    ).exists()


def _placement_json(item: engine.ScheduledSession) -> dict[str, object]:
    return {
        "session": sched.pk_of(item.session_id),
        "start": item.start.isoformat(),
        "end": item.end.isoformat(),
        "people": {str(sched.pk_of(seat)): sched.pk_of(who) for seat, who in item.interviewers},
        "room": sched.pk_of(item.room_id) if item.room_id else None,
    }


def compute_options(application: Application, *, now: datetime) -> list[list[dict[str, object]]]:
    """Up to the policy's option count of whole-loop options, on different half-days."""
    rules = sched.policy()
    start = now + timedelta(hours=rules.min_notice_hours)
    end = start + timedelta(days=OFFER_WINDOW_DAYS)
    inputs = sched.engine_inputs(
        [application], start, end, now=now, time_limit_seconds=OPTION_SECONDS,
        left_out=declined_seats(application),
    )  # fmt: skip
    if not inputs.loops:
        raise ValidationError({"application": _("This position has no loop planned yet.")})
    options = engine.loop_options(
        inputs.loops[0],
        inputs.people,
        inputs.rooms,
        inputs.rules,
        inputs.booked,
        count=min(rules.option_count, OPTION_COUNT_MAX),  # a row saved before the bound
    )
    return [[_placement_json(item) for item in option.sessions] for option in options]


def declined_seats(application: Application) -> dict[tuple[int, int], set[int]]:
    """{(application id, seat id): who declined that seat for this finalist}: fresh options
    never seat them there again (a decline the team withdrew aside). By who declined, not the
    interview's person: a replacement takes over the interview row, the decline stays on it."""
    found: dict[tuple[int, int], set[int]] = {}
    rows = (
        Decline.objects.filter(interview__application=application)
        .exclude(resolution=DeclineResolution.WITHDRAWN)
        .filter(interview__seat_assignment__isnull=False, declined_by__isnull=False)
        .values_list("interview__seat_assignment__seat_id", "declined_by_id")
    )
    for seat_id, person_id in rows:
        found.setdefault((application.pk, seat_id), set()).add(person_id)
    return found


def _require_finalist(application: Application) -> None:
    if application.stage not in FINALIST_STAGES:
        raise ValidationError({"application": _("Only finalists in round two get options.")})


@transaction.atomic
def offer_times(
    *,
    actor: User | None,
    application: Application,
    kind: str = OfferKind.FIRST,
    notice: str = "",
    now: datetime | None = None,
) -> LoopOffer:
    """Offer the finalist fresh whole-loop options; earlier open offers are superseded.

    ``actor`` None is the candidate themselves (through their private link, checked by the
    caller) or the system after a taken pick.
    """
    now = now or timezone.now()
    if actor is not None:
        require_manager(actor, application.position)
    _require_finalist(application)
    if kind == OfferKind.FIRST and _booked_loop(application):
        raise ValidationError(
            {"application": _("This loop is booked already; reschedule it instead.")}
        )
    options = compute_options(application, now=now)
    if not options:
        raise ValidationError(
            {
                "application": _(
                    "No whole loop fits anyone's free time in the next %(days)d days: widen the "
                    "panel, ask the candidate for more availability, or book by hand."
                )
                % {"days": OFFER_WINDOW_DAYS}
            }
        )
    LoopOffer.objects.filter(application=application, status=OfferStatus.OPEN).update(
        status=OfferStatus.SUPERSEDED
    )
    return LoopOffer.objects.create(
        application=application,
        options=options,
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(hours=_expiry_hours()),
        kind=kind,
        notice=notice,
    )


def _expiry_hours() -> int:
    """The policy's expiry, never under its lower bound (a row saved before the bound was
    set may say 0, which would make every offer born expired)."""
    return max(sched.policy().option_expiry_hours, OPTION_EXPIRY_HOURS[0])


def placements_of(option: Sequence[Mapping[str, Any]]) -> list[Placement]:
    """The stored option as scheduling's placements; a vanished session, seat or person is
    refused like a clash (the loop changed since the offer)."""
    sessions = LoopSession.objects.in_bulk([int(p["session"]) for p in option])
    people_ids = {int(u) for p in option for u in p["people"].values()}
    people = User.objects.filter(is_active=True).in_bulk(list(people_ids))
    rooms = Room.objects.in_bulk([int(p["room"]) for p in option if p["room"]])
    placements = []
    for item in option:
        start = parse_datetime(str(item["start"]))
        session = sessions.get(int(item["session"]))
        seat_people = {int(seat): people.get(int(who)) for seat, who in item["people"].items()}
        chosen = {seat: who for seat, who in seat_people.items() if who is not None}
        if session is None or start is None or len(chosen) != len(seat_people):
            raise ValidationError({"option": _("The loop changed since these options were made.")})
        room = rooms.get(int(item["room"])) if item["room"] else None
        placements.append(Placement(session, start, chosen, room))
    return placements


def _lock_people_and_rooms(placements: Sequence[Placement]) -> None:
    """Row locks on everyone and every room the option needs, in id order (no deadlock), so
    two bookings sharing a person or room run one after the other on PostgreSQL and the
    second rechecks against the first's committed sessions. (Scheduling's own lock, an update
    of the policy row, does nothing while that row has never been saved.) SQLite ignores
    these: its IMMEDIATE transactions already serialise every write."""
    people = sorted({p.pk for placement in placements for p in placement.people.values()})
    rooms = sorted({p.room.pk for p in placements if p.room is not None})
    list(User.objects.select_for_update().filter(pk__in=people).order_by("pk").values("pk"))
    list(Room.objects.select_for_update().filter(pk__in=rooms).order_by("pk").values("pk"))


def _withdrawal_reason(
    application: Application, option: Sequence[Mapping[str, Any]], rebooking: bool, now: datetime
) -> str:
    """Why the candidate's own situation makes this option unbookable ("begun": moving a loop
    that has started; "outside": times they no longer say they are free), or ""."""
    if rebooking and loop_has_begun(application, now):
        return "begun"
    if not sched.within_candidate_times(application, _option_spans(option), now=now):
        return "outside"
    return ""


def _starts_inside_notice(option: Sequence[Mapping[str, Any]], now: datetime) -> bool:
    """The option's first session now starts inside the minimum notice (it was offered in
    time, but the candidate picked it late): booking it would break the rule."""
    starts = [start for start, _end in _option_spans(option)]
    return bool(starts) and min(starts) < now + timedelta(hours=sched.policy().min_notice_hours)


def _option_spans(option: Sequence[Mapping[str, Any]]) -> list[tuple[datetime, datetime]]:
    spans = []
    for item in option:
        start, end = parse_datetime(str(item["start"])), parse_datetime(str(item["end"]))
        if start is not None and end is not None:
            spans.append((start, end))
    return spans


@dataclass(frozen=True)
class PickOutcome:
    booked: list[ScheduledSession]
    fresh: LoopOffer | None = None
    taken: bool = False
    """The picked times were taken meanwhile (or expired): `fresh` holds new options."""


def _open_offer_for_update(application: Application, offer_id: int) -> LoopOffer:
    try:
        return LoopOffer.objects.select_for_update().get(pk=offer_id, application=application)
    except ObjectDoesNotExist:
        raise ValidationError({"offer": _("These options are not yours.")}) from None


@transaction.atomic
def _book_pick(
    application: Application,
    offer_id: int,
    index: int,
    now: datetime,
    actor: User | None,
    portal_link: str,
) -> tuple[list[ScheduledSession], str]:
    """Book the option, or mark the offer and say why not ("taken" / "expired")."""
    offer = _open_offer_for_update(application, offer_id)
    if offer.status == OfferStatus.WITHDRAWN:  # say why, in the candidate's own terms
        begun = offer.kind == OfferKind.RESCHEDULE and loop_has_begun(application, now)
        raise ValidationError({"offer": _begun_refusal() if begun else _outside_refusal()})
    if offer.status != OfferStatus.OPEN:
        raise ValidationError(
            {"offer": _("These options are closed; open your schedule page again.")}
        )
    if not 0 <= index < len(offer.options):
        raise ValidationError({"option": _("Choose one of the options shown.")})
    if offer.expires_at <= now:
        offer.status = OfferStatus.EXPIRED
        offer.save(update_fields=["status"])
        return [], "expired"
    if _starts_inside_notice(offer.options[index], now):  # held too long: no one's fault
        offer.status = OfferStatus.EXPIRED
        offer.save(update_fields=["status"])
        return [], "too_soon"
    rebooking = offer.kind == OfferKind.RESCHEDULE
    why_not = _withdrawal_reason(application, offer.options[index], rebooking, now)
    if why_not:
        offer.status = OfferStatus.WITHDRAWN
        offer.save(update_fields=["status"])
        return [], why_not
    try:
        with transaction.atomic():  # a savepoint: a refused booking leaves the old loop as it was
            placements = placements_of(offer.options[index])
            _lock_people_and_rooms(placements)
            if rebooking:
                cancelled = cancel_loop(application, None, "The candidate rescheduled.")
            booked = book_loop(application, placements, None, now=now).sessions
    except ValidationError:
        offer.status = OfferStatus.SUPERSEDED
        offer.save(update_fields=["status"])
        return [], "taken"
    offer.status = OfferStatus.PICKED
    offer.picked_option = index
    offer.picked_at = now
    offer.save(update_fields=["status", "picked_option", "picked_at"])
    record_event(
        actor=actor,
        action=AuditAction.CANDIDATE_PICKED_TIMES,
        target=offer,
        summary=f"application #{application.pk}: "
        + ("moved their loop to" if rebooking else "picked")
        + f" option {index + 1} of {len(offer.options)}"
        + ("" if actor is None else " (booked by the hiring team for them)"),
    )
    if rebooking:
        send_invitations(cancelled.sessions, method=Method.CANCEL, people=cancelled.people)
        notice = CandidateNotice(
            MessageKind.RESCHEDULE, actor, portal_link, cancelled=cancelled.sessions
        )
    else:
        notice = CandidateNotice(MessageKind.SCHEDULE_CONFIRMATION, actor, portal_link)
    send_invitations(booked, candidate=notice)
    return booked, ""


def pick_option(
    *,
    application: Application,
    offer_id: int,
    index: int,
    actor: User | None = None,
    portal_link: str = "",
    now: datetime | None = None,
) -> PickOutcome:
    """The candidate picks option `index` of offer `offer_id` on their page.

    Two steps, each atomic: the booking (under scheduling's lock, rechecking every clash),
    then, only if it was taken or expired, fresh options — solved outside the booking lock,
    so a slow solve never holds up other people's bookings.
    """
    now = now or timezone.now()
    if actor is not None:
        require_manager(actor, application.position)
    elif not portal_link:
        raise ValueError("portal_link: the candidate's own pick needs the link they came by.")
    booked, why_not = _book_pick(application, offer_id, index, now, actor, portal_link)
    if not why_not:
        return PickOutcome(booked=booked)
    if why_not == "begun":  # the offer is withdrawn (committed); nothing fresh to offer
        raise ValidationError({"offer": _begun_refusal()})
    if why_not == "outside":
        raise ValidationError({"offer": _outside_refusal()})
    notice = NOTICES[why_not]
    kind = LoopOffer.objects.get(pk=offer_id).kind
    try:
        fresh = offer_times(actor=None, application=application, kind=kind, notice=notice, now=now)
    except ValidationError:
        fresh = None
    return PickOutcome(booked=[], fresh=fresh, taken=True)


WITHDRAWN_NOTICE = gettext_noop(
    "Options outside the times you gave were withdrawn; these still fit them."
)


@transaction.atomic
def save_candidate_times(
    *,
    application: Application,
    time_zone: str,
    spans: Sequence[tuple[datetime, datetime]],
    now: datetime | None = None,
) -> int:
    """The candidate's new week grid: saved, and every open option outside it withdrawn.
    Refused once a loop is booked (the grid is for finding one; a booked loop moves by
    ``request_reschedule``).

    An offer keeping all its options stays as it is; one losing some is withdrawn and the
    options still inside come back as a new offer (a new id, so an old page's option number
    never books a different option), held until the same time. Returns how many options
    were withdrawn."""
    now = now or timezone.now()
    refusal = week_grid_refusal(application, now)
    if refusal:
        raise ValidationError({"availability": refusal})
    set_candidate_availability(None, application, time_zone=time_zone, spans=spans)
    withdrawn = 0
    open_offers = LoopOffer.objects.select_for_update().filter(
        application=application, status=OfferStatus.OPEN, expires_at__gt=now
    )
    for offer in open_offers:
        inside = [
            option
            for option in offer.options
            if sched.within_candidate_times(application, _option_spans(option), now=now)
        ]
        if len(inside) == len(offer.options):
            continue
        withdrawn += len(offer.options) - len(inside)
        offer.status = OfferStatus.WITHDRAWN
        offer.save(update_fields=["status"])
        if inside:
            LoopOffer.objects.create(
                application=application, options=inside, created_by=None, created_at=now,
                expires_at=offer.expires_at, kind=offer.kind, notice=WITHDRAWN_NOTICE,
            )  # fmt: skip
    return withdrawn


def reschedules_used(application: Application) -> int:
    """The candidate's own moves (options the team offered, say after a decline, count not)."""
    return LoopOffer.objects.filter(
        application=application, kind=OfferKind.RESCHEDULE, status=OfferStatus.PICKED,
        created_by__isnull=True,
    ).count()  # fmt: skip


def request_reschedule(*, application: Application, now: datetime | None = None) -> LoopOffer:
    """The candidate asks to move their booked loop: fresh whole-loop options, within the
    policy's limit. Their current loop stays booked until they pick one; once it has begun
    it is no longer theirs to move (a loop that took place must not be cancelled and rebooked)."""
    now = now or timezone.now()
    if not _booked_loop(application):
        raise ValidationError({"application": _("There is no booked loop to move.")})
    if loop_has_begun(application, now):
        raise ValidationError({"application": _begun_refusal()})
    if reschedules_used(application) >= sched.policy().candidate_reschedule_limit:
        raise ValidationError(
            {
                "application": _(
                    "You have rescheduled as often as we can offer; please write to your recruiter."
                )
            }
        )
    return offer_times(actor=None, application=application, kind=OfferKind.RESCHEDULE, now=now)
