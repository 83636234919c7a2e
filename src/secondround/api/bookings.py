"""API for bookings: a finalist's whole-loop options, booking one, declining, my interviews."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field

from secondround.api.schemas import StrictSchema
from secondround.bookings import offers, selectors, services
from secondround.bookings.models import LoopOffer
from secondround.hiring import selectors as hiring
from secondround.hiring.models import Application, Interview
from secondround.ids import Id
from secondround.scheduling.models import ScheduledSession
from secondround.web.helpers import request_user

router = Router(tags=["bookings"])


class PickIn(StrictSchema):
    option: int = Field(ge=0, le=50)


class DeclineIn(StrictSchema):
    reason: str = Field(min_length=1, max_length=services.DECLINE_REASON_MAX)


class OfferOut(Schema):
    id: int
    kind: str
    status: str
    created_at: datetime
    expires_at: datetime
    notice: str
    options: list[list[dict[str, Any]]] = Field(
        description="Each option: its sessions, each with session, start, end, people "
        "(seat id to person id) and room."
    )


class BookedSessionOut(Schema):
    id: int
    session: str
    starts_at: datetime
    ends_at: datetime
    people: list[int]
    room: str | None
    video_link: str
    sequence: int


class OptionsOut(Schema):
    offer: OfferOut | None
    booked: list[BookedSessionOut]


class BookOut(Schema):
    taken: bool
    booked: list[BookedSessionOut]
    fresh_offer: OfferOut | None


class DeclineOut(Schema):
    id: int
    interview: int
    resolution: str


class AgendaRowOut(Schema):
    id: int
    title: str
    candidate: str
    position: str
    starts_at: datetime
    ends_at: datetime
    where: str
    video_link: str
    seat_id: int | None
    declined: bool


class AgendaOut(Schema):
    time_zone: str
    upcoming: list[AgendaRowOut]
    past: list[AgendaRowOut]


def _team_application(request: HttpRequest, application_id: int) -> Application:
    user = request_user(request)
    application = hiring.get_visible_application(user, application_id)
    hiring.require_manager(user, application.position)
    return application


def _offer(offer: LoopOffer | None) -> dict[str, Any] | None:
    if offer is None:
        return None
    return {
        "id": offer.pk,
        "kind": offer.kind,
        "status": offer.status,
        "created_at": offer.created_at,
        "expires_at": offer.expires_at,
        "notice": offer.notice,
        "options": offer.options,
    }


def _session(s: ScheduledSession) -> dict[str, Any]:
    return {
        "id": s.pk,
        "session": s.session.title,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
        "people": [a.interviewer_id for a in s.assignments.all()],
        "room": s.room.name if s.room else None,
        "video_link": s.video_link,
        "sequence": s.sequence,
    }


@router.get("/applications/{application_id}/options", response=OptionsOut)
def get_options(request: HttpRequest, application_id: Id) -> dict[str, Any]:
    """The finalist's open options (null when none) and their booked sessions."""
    application = _team_application(request, application_id)
    return {
        "offer": _offer(selectors.current_offer(application)),
        "booked": [_session(s) for s in selectors.booked_sessions(application)],
    }


@router.post("/applications/{application_id}/options", response={201: OfferOut})
def post_options(request: HttpRequest, application_id: Id) -> Status[Any]:
    """Offer fresh whole-loop options to the finalist (earlier open ones are superseded)."""
    application = _team_application(request, application_id)
    made = offers.offer_times(actor=request_user(request), application=application)
    return Status(201, _offer(made))


@router.post("/applications/{application_id}/options/{offer_id}/book", response=BookOut)
def book_option(
    request: HttpRequest, application_id: Id, offer_id: Id, data: PickIn
) -> dict[str, Any]:
    """Book an option for the finalist (say, agreed on the phone). When its times were taken
    meanwhile, `taken` is true and `fresh_offer` holds new options."""
    application = _team_application(request, application_id)
    outcome = offers.pick_option(
        application=application,
        offer_id=offer_id,
        index=data.option,
        actor=request_user(request),
    )
    return {
        "taken": outcome.taken,
        "booked": [_session(s) for s in outcome.booked],
        "fresh_offer": _offer(outcome.fresh),
    }


@router.post("/interviews/{interview_id}/decline", response={201: DeclineOut})
def decline(request: HttpRequest, interview_id: Id, data: DeclineIn) -> Status[Any]:
    user = request_user(request)
    interview = get_object_or_404(Interview, pk=interview_id, interviewer=user)
    made = services.decline_interview(actor=user, interview=interview, reason=data.reason)
    return Status(201, {"id": made.pk, "interview": interview.pk, "resolution": made.resolution})


@router.get("/me/interviews", response=AgendaOut)
def my_interviews(request: HttpRequest) -> dict[str, Any]:
    agenda = selectors.agenda(request_user(request))

    def row(r: selectors.AgendaRow) -> dict[str, Any]:
        return {
            "id": r.interview.pk,
            "title": r.interview.title,
            "candidate": r.candidate,
            "position": r.position,
            "starts_at": r.starts,
            "ends_at": r.ends,
            "where": r.where,
            "video_link": r.video_link,
            "seat_id": r.seat_id,
            "declined": r.open_decline is not None,
        }

    return {
        "time_zone": agenda.time_zone,
        "upcoming": [row(r) for r in agenda.upcoming],
        "past": [row(r) for r in agenda.past],
    }
