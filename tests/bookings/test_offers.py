"""Whole-loop options: offered, picked, booked atomically; a taken pick gets fresh options."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from secondround.bookings import offers
from secondround.bookings.models import LoopOffer, OfferKind, OfferStatus
from secondround.bookings.services import expire_offers
from secondround.hiring.models import Interview, Position
from secondround.scheduling.models import ScheduledSession, SchedulingPolicy, SessionStatus
from tests.bookings.conftest import finalist

LINK = "https://careers.example/prep/i/prep_test/"  # the link the candidate came by

pytestmark = pytest.mark.django_db


def clashes(option: list[dict], other: list[dict]) -> list[tuple[str, int]]:
    found = []
    for mine in option:
        for theirs in other:
            shared = set(mine["people"].values()) & set(theirs["people"].values())
            if shared and mine["start"] < theirs["end"] and theirs["start"] < mine["end"]:
                found.append((mine["start"], min(shared)))
    return found


def test_offer_holds_whole_loop_options_on_different_half_days(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    assert 2 <= len(offer.options) <= SchedulingPolicy().option_count
    sessions = planned.loop_plan.sessions.count()
    starts = set()
    for option in offer.options:
        assert len(option) == sessions
        starts.add(option[0]["start"][:13])  # date and hour
    assert len(starts) == len(offer.options)
    assert offer.expires_at - offer.created_at == timedelta(hours=72)


def test_picking_books_the_loop_and_interviews(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    outcome = offers.pick_option(application=ana, offer_id=offer.pk, index=1, portal_link=LINK)
    assert not outcome.taken and outcome.booked
    offer.refresh_from_db()
    assert offer.status == OfferStatus.PICKED and offer.picked_option == 1
    booked = ScheduledSession.objects.filter(application=ana, status=SessionStatus.BOOKED)
    assert {s.starts_at for s in booked} == {
        datetime.fromisoformat(p["start"]) for p in offer.options[1]
    }
    assert Interview.objects.filter(application=ana).count() == sum(
        len(p["people"]) for p in offer.options[1]
    )
    with pytest.raises(ValidationError) as again:
        offers.pick_option(application=ana, offer_id=offer.pk, index=0, portal_link=LINK)
    assert "offer" in again.value.message_dict


def test_overlapping_picks_one_wins_the_other_gets_fresh_options(planned: Position) -> None:
    ana, ben = finalist(planned, "Ana Finalist"), finalist(planned, "Ben Finalist")
    for_ana = offers.offer_times(actor=planned.hiring_manager, application=ana)
    for_ben = offers.offer_times(actor=planned.hiring_manager, application=ben)
    # Both loops need the same panel: Ben's first option clashes with Ana's first.
    assert clashes(for_ben.options[0], for_ana.options[0])
    assert not offers.pick_option(
        application=ana, offer_id=for_ana.pk, index=0, portal_link=LINK
    ).taken
    outcome = offers.pick_option(application=ben, offer_id=for_ben.pk, index=0, portal_link=LINK)
    assert outcome.taken and not outcome.booked
    for_ben.refresh_from_db()
    assert for_ben.status == OfferStatus.SUPERSEDED
    fresh = outcome.fresh
    assert fresh is not None and fresh.status == OfferStatus.OPEN
    assert "just before you" in fresh.notice
    for option in fresh.options:  # nobody in Ben's fresh options is double-booked with Ana
        assert not clashes(option, for_ana.options[0])
    assert not offers.pick_option(
        application=ben, offer_id=fresh.pk, index=0, portal_link=LINK
    ).taken


def test_expired_options_are_expired_by_the_worker_and_a_late_pick_gets_fresh_ones(
    planned: Position,
) -> None:
    ana = finalist(planned, "Ana Finalist")
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    LoopOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    late = offers.pick_option(application=ana, offer_id=offer.pk, index=0, portal_link=LINK)
    assert late.taken and late.fresh is not None and "expired" in late.fresh.notice
    offer.refresh_from_db()
    assert offer.status == OfferStatus.EXPIRED
    LoopOffer.objects.filter(pk=late.fresh.pk).update(expires_at=timezone.now())
    assert expire_offers() == 1
    assert LoopOffer.objects.filter(status=OfferStatus.OPEN).count() == 0


def test_candidate_reschedules_within_the_limit(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    first = offers.pick_option(application=ana, offer_id=offer.pk, index=0, portal_link=LINK).booked
    moved = offers.request_reschedule(application=ana)
    assert moved.kind == OfferKind.RESCHEDULE
    assert ScheduledSession.objects.filter(application=ana, status="booked").count() == len(first)
    again = offers.pick_option(application=ana, offer_id=moved.pk, index=1, portal_link=LINK)
    assert again.booked and not again.taken
    assert {s.pk for s in first}.isdisjoint({s.pk for s in again.booked})
    assert all(
        s.status == SessionStatus.CANCELLED
        for s in ScheduledSession.objects.filter(pk__in=[s.pk for s in first])
    )
    with pytest.raises(ValidationError) as limit:
        offers.request_reschedule(application=ana)
    assert "rescheduled as often" in str(limit.value)


def test_only_the_hiring_team_offers_times(planned: Position, team) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        offers.offer_times(actor=team["p0"], application=finalist(planned, "Ana Finalist"))


def test_the_candidates_pick_and_reschedule_are_audited(planned: Position) -> None:
    from secondround.audit.models import AuditAction, AuditEvent

    ana = finalist(planned, "Ana Finalist")
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    offers.pick_option(application=ana, offer_id=offer.pk, index=0, portal_link=LINK)
    moved = offers.request_reschedule(application=ana)
    offers.pick_option(application=ana, offer_id=moved.pk, index=1, portal_link=LINK)
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.action for e in events] == [
        AuditAction.LOOP_BOOKED,
        AuditAction.CANDIDATE_PICKED_TIMES,
        AuditAction.LOOP_CANCELLED,
        AuditAction.LOOP_BOOKED,
        AuditAction.CANDIDATE_PICKED_TIMES,
    ]
    assert events[1].actor is None and "picked option 1" in events[1].summary
    assert "moved their loop to option 2" in events[4].summary
