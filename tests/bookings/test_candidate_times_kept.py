"""The candidate's own times bound what they can do: a loop that has begun cannot be moved,
options outside a new week grid are withdrawn (and say so), and half-days inside the minimum
notice are refused by name instead of being ignored for days never ticked."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondround.bookings import offers
from secondround.bookings.forms import WeekGridForm, grid_days, posted_grid_days
from secondround.bookings.models import LoopOffer, OfferKind, OfferStatus
from secondround.hiring.models import Application, Position
from secondround.loops.models import LoopPlan
from secondround.scheduling import selectors as sched
from secondround.scheduling.models import (
    CandidateAvailability,
    CandidateTimeZone,
    ScheduledSession,
    SchedulingPolicy,
    SessionStatus,
)
from tests.bookings.conftest import BERLIN, book_directly, finalist, next_weekday
from tests.bookings.test_candidate_pages import LINK, grid_slots, link_for

pytestmark = pytest.mark.django_db


def option_at(application: Application, start: datetime) -> list[dict[str, object]]:
    """One whole-loop option as offers stores it: the sessions back to back from `start`."""
    plan = LoopPlan.objects.get(position=application.position)
    option, at = [], start
    for session in plan.sessions.prefetch_related("seats"):
        end = at + timedelta(minutes=session.duration_minutes)
        people = {str(seat.pk): seat.interviewer_id for seat in session.seats.all()}
        option.append(
            {"session": session.pk, "start": at.isoformat(), "end": end.isoformat(),
             "people": people, "room": None}
        )  # fmt: skip
        at = end + timedelta(minutes=15)
    return option


def stored_offer(application: Application, *starts: datetime, kind: str = OfferKind.FIRST):
    return LoopOffer.objects.create(
        application=application,
        options=[option_at(application, start) for start in starts],
        expires_at=timezone.now() + timedelta(days=2),
        kind=kind,
    )


# --- 1. a loop that has begun cannot be moved ------------------------------------------------


@pytest.mark.parametrize("began", [timedelta(days=7), timedelta(minutes=10)])
def test_a_loop_that_has_begun_cannot_be_rescheduled(planned: Position, began: timedelta) -> None:
    ana = finalist(planned, "Ana Finalist")
    held = book_directly(ana, timezone.now() - began)
    with pytest.raises(ValidationError, match="already begun"):
        offers.request_reschedule(application=ana)
    assert not LoopOffer.objects.filter(application=ana).exists()
    assert all(s.status == SessionStatus.BOOKED for s in ScheduledSession.objects.filter(
        pk__in=[s.pk for s in held]))  # fmt: skip


def test_a_reschedule_offered_before_the_loop_began_cannot_be_picked_after(
    planned: Position,
) -> None:
    ana = finalist(planned, "Ana Finalist")
    held = book_directly(ana, timezone.now() - timedelta(hours=1))
    offer = stored_offer(ana, next_weekday(days_ahead=9, hour=10), kind=OfferKind.RESCHEDULE)
    with pytest.raises(ValidationError, match="already begun"):
        offers.pick_option(application=ana, offer_id=offer.pk, index=0, portal_link=LINK)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN
    assert {s.pk for s in ScheduledSession.objects.filter(application=ana, status="booked")} == {
        s.pk for s in held
    }


def test_the_schedule_page_offers_no_move_once_the_loop_has_begun(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    book_directly(ana, timezone.now() - timedelta(days=7))
    token = link_for(ana)
    page = Client().get(reverse("candidate-schedule", args=[token])).content.decode()
    assert "Find other times" not in page and "can no longer be moved" in page
    refused = Client().post(reverse("candidate-reschedule", args=[token]))
    assert refused.status_code == 409 and "already begun" in refused.content.decode()
    assert not LoopOffer.objects.filter(application=ana).exists()


# --- 2. options outside a new week grid are withdrawn -----------------------------------------


def test_new_times_withdraw_the_options_outside_them_and_keep_those_inside(
    planned: Position,
) -> None:
    ana = finalist(planned, "Ana Finalist")
    inside, outside = next_weekday(days_ahead=8, hour=9), next_weekday(days_ahead=10, hour=9)
    old = stored_offer(ana, outside, inside)
    whole_day = (inside.replace(hour=8), inside.replace(hour=18))
    withdrawn = offers.save_candidate_times(
        application=ana, time_zone="Europe/Berlin", spans=[whole_day]
    )
    old.refresh_from_db()
    assert withdrawn == 1 and old.status == OfferStatus.WITHDRAWN
    kept = LoopOffer.objects.get(application=ana, status=OfferStatus.OPEN)
    assert kept.options == [old.options[1]] and kept.expires_at == old.expires_at
    with pytest.raises(ValidationError, match="outside the times you last told us"):
        offers.pick_option(application=ana, offer_id=old.pk, index=1, portal_link=LINK)
    assert not ScheduledSession.objects.filter(application=ana).exists()


def test_a_grid_no_loop_fits_withdraws_the_old_options_and_a_pick_says_why(
    planned: Position,
) -> None:
    ana = finalist(planned, "Ana Finalist")
    CandidateTimeZone.objects.create(application=ana, time_zone="Asia/Tokyo")
    old = stored_offer(ana, next_weekday(days_ahead=8, hour=10))
    token = link_for(ana)
    saved = Client().post(  # Tokyo mornings are Berlin's night: no loop fits, none offered
        reverse("candidate-availability", args=[token]),
        {"time_zone": "Asia/Tokyo", "slots": grid_slots(token)[:2]},
        follow=True,
    )
    html = saved.content.decode()
    assert "No whole interview fits" in html and "Pick the times that suit you" not in html
    picked = Client().post(reverse("candidate-pick", args=[token]), {"offer": old.pk, "option": 0})
    text = picked.content.decode()
    assert picked.status_code == 409 and "withdrawn" in text and "just taken" not in text
    assert not ScheduledSession.objects.filter(application=ana).exists()


def test_a_pick_outside_the_candidates_times_is_not_blamed_on_anyone(planned: Position) -> None:
    """Even an offer made before the grid (saved another way) is refused in their terms."""
    ana = finalist(planned, "Ana Finalist")
    day = next_weekday(days_ahead=8, hour=9)
    CandidateAvailability.objects.create(
        application=ana, starts_at=day, ends_at=day.replace(hour=12, minute=30)
    )
    offer = stored_offer(ana, day + timedelta(days=2))
    with pytest.raises(ValidationError, match="outside the times"):
        offers.pick_option(application=ana, offer_id=offer.pk, index=0, portal_link=LINK)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.WITHDRAWN


# --- 3. half-days inside the minimum notice ---------------------------------------------------

LATE = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # a Monday, 17:00 in Berlin


def test_a_half_day_inside_the_notice_is_refused_by_name() -> None:
    days = posted_grid_days("Europe/Berlin", "Europe/Berlin", LATE)
    form = WeekGridForm(
        {"time_zone": "Europe/Berlin", "slots": ["2026-12-01:am", "2026-12-02:am"]},
        days=days, now=LATE, notice_hours=24,
    )  # fmt: skip
    assert not form.is_valid()
    (message,) = form.errors["slots"]
    assert "Tue 1 Dec" in message and "24 hours" in message and "Wed 2 Dec" not in message


def test_the_grid_leaves_out_days_wholly_inside_the_notice() -> None:
    assert grid_days("Europe/Berlin", LATE)[0] == date(2026, 12, 1)
    assert grid_days("Europe/Berlin", LATE, notice_hours=24)[0] == date(2026, 12, 2)
    assert grid_days("Europe/Berlin", LATE, notice_hours=20)[0] == date(2026, 12, 1)  # its pm


def test_the_grid_greys_out_a_half_day_inside_the_notice_and_offers_the_rest() -> None:
    """At 03:00 UTC on a Tuesday, Wednesday morning in Tokyo (00:00 UTC) is 21 hours off:
    inside a 24-hour notice, so shown but not tickable; Wednesday afternoon is open."""
    now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    days = grid_days("Asia/Tokyo", now, notice_hours=24)
    form = WeekGridForm(initial={"time_zone": "Asia/Tokyo"}, days=days, now=now, notice_hours=24)
    assert days[0] == date(2026, 12, 2)
    assert form.closed_slots() == {"2026-12-02:am"}
    assert (
        WeekGridForm(initial={"time_zone": "Mars/Olympus"}, days=days, now=now).closed_slots()
        == set()
    )


def test_the_page_says_too_soon_where_a_half_day_cannot_be_ticked(planned: Position) -> None:
    """A notice that ends between the first day's morning and afternoon, whatever the hour."""
    berlin = ZoneInfo("Europe/Berlin")
    now = timezone.now()
    first_day = grid_days("Europe/Berlin", now)[0]
    afternoon = datetime.combine(first_day, time(13), tzinfo=berlin)
    SchedulingPolicy.objects.create(min_notice_hours=int((afternoon - now).total_seconds() // 3600))
    token = link_for(finalist(planned, "Ana Finalist"))
    html = Client().get(reverse("candidate-schedule", args=[token])).content.decode()
    assert f'value="{first_day.isoformat()}:am"' not in html
    assert f'value="{first_day.isoformat()}:pm"' in html
    assert html.count(">too soon<") == 1


def test_the_page_refuses_half_days_inside_the_notice_and_saves_nothing(
    planned: Position,
) -> None:
    SchedulingPolicy.objects.create(min_notice_hours=120)  # any first weekday is inside it
    ana = finalist(planned, "Ana Finalist")
    token = link_for(ana)
    first_day = grid_days("Europe/Berlin", timezone.now())[0]
    assert first_day not in grid_days("Europe/Berlin", timezone.now(), 120)  # not offered
    refused = Client().post(
        reverse("candidate-availability", args=[token]),
        {"time_zone": "Europe/Berlin", "slots": [f"{first_day.isoformat()}:pm"]},
    )
    assert refused.status_code == 400
    assert "120 hours" in refused.content.decode()
    assert not CandidateAvailability.objects.exists() and not LoopOffer.objects.exists()


def test_once_times_are_given_no_option_falls_outside_them(planned: Position) -> None:
    """Given times all before the window (inside the notice) leave nothing: never the
    default working hours on days the candidate did not tick."""
    ana = finalist(planned, "Ana Finalist")
    soon = timezone.now() + timedelta(hours=2)
    CandidateAvailability.objects.create(
        application=ana, starts_at=soon, ends_at=soon + timedelta(hours=3)
    )
    start = timezone.now() + timedelta(hours=24)
    assert sched.candidate_free(ana, start, start + timedelta(days=14), "Europe/Berlin") == ()
    with pytest.raises(ValidationError, match="No whole loop fits"):
        offers.offer_times(actor=planned.hiring_manager, application=ana)


def test_no_times_given_still_means_working_hours(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    start = datetime.now(ZoneInfo("Europe/Berlin")) + timedelta(days=1)
    free = sched.candidate_free(ana, start, start + timedelta(days=7), "Europe/Berlin")
    assert free and all(i.start.astimezone(BERLIN).hour >= 9 for i in free)


def test_the_refusals_speak_the_candidates_language(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    ana.candidate.language = "de"
    ana.candidate.save(update_fields=["language"])
    book_directly(ana, timezone.now() - timedelta(days=7))
    token = link_for(ana)
    page = Client().get(reverse("candidate-schedule", args=[token])).content.decode()
    assert "kann hier nicht mehr verschoben werden" in page and "Andere Zeiten" not in page
    refused = Client().post(reverse("candidate-reschedule", args=[token])).content.decode()
    assert "hat bereits begonnen" in refused


def test_a_pick_now_inside_the_notice_gets_fresh_options_not_blame(planned: Position) -> None:
    """Options are offered outside the notice; picked late, one may fall inside it. That is
    no one else's booking: the candidate is told so and gets fresh options."""
    ana = finalist(planned, "Ana Finalist")
    offer = stored_offer(ana, timezone.now() + timedelta(hours=3))
    outcome = offers.pick_option(application=ana, offer_id=offer.pk, index=0, portal_link=LINK)
    offer.refresh_from_db()
    assert outcome.taken and not outcome.booked and offer.status == OfferStatus.EXPIRED
    assert outcome.fresh is not None and outcome.fresh.notice == offers.TOO_SOON_NOTICE


def test_a_policy_saved_before_the_bounds_still_offers_bookable_options(
    planned: Position,
) -> None:
    """A row written before the bounds existed (or straight to the database) says 0 hours
    and 1000 options: offers still hold for an hour, with at most 10 options."""
    SchedulingPolicy.objects.create(option_expiry_hours=0, option_count=1000)
    ana = finalist(planned, "Ana Finalist")
    now = timezone.now()
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana, now=now)
    assert offer.expires_at == now + timedelta(hours=1)
    assert 1 <= len(offer.options) <= 10
