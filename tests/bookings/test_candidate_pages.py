"""The candidate's scheduling page on their private link: options in their zone, picking,
the week grid, rescheduling, and refusals."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondround.bookings import offers
from secondround.bookings.models import LoopOffer, OfferStatus
from secondround.hiring.models import Application, Position
from secondround.prep.services import create_invite_link, revoke_invite_link
from secondround.scheduling.models import CandidateAvailability, CandidateTimeZone, ScheduledSession
from tests.bookings.conftest import book_directly, finalist, next_weekday

LINK = "https://careers.example/prep/i/prep_test/"  # the link the candidate came by

pytestmark = pytest.mark.django_db


def link_for(application: Application) -> str:
    _link, token = create_invite_link(
        actor=application.position.hiring_manager, application=application
    )
    return token


def test_options_show_in_the_candidates_zone_and_a_pick_books(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    CandidateTimeZone.objects.create(application=ana, time_zone="Europe/London")
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    token = link_for(ana)
    page = Client().get(reverse("candidate-schedule", args=[token]))
    html = page.content.decode()
    assert page.status_code == 200 and "Europe/London" in html
    first = offer.options[0][0]
    local = datetime.fromisoformat(first["start"]).astimezone(ZoneInfo("Europe/London"))
    assert f"{local:%H:%M}" in html
    picked = Client().post(
        reverse("candidate-pick", args=[token]), {"offer": offer.pk, "option": 0}, follow=True
    )
    assert picked.status_code == 200 and "Booked" in picked.content.decode()
    assert ScheduledSession.objects.filter(application=ana, status="booked").exists()
    assert "Find other times" in picked.content.decode()


def test_garbage_picks_are_refused_without_a_booking(planned: Position) -> None:
    ana, ben = finalist(planned, "Ana Finalist"), finalist(planned, "Ben Finalist")
    offer_for_ben = offers.offer_times(actor=planned.hiring_manager, application=ben)
    token = link_for(ana)
    url = reverse("candidate-pick", args=[token])
    assert Client().post(url, {"offer": "x", "option": 0}).status_code == 400
    assert Client().post(url, {"offer": 2**70, "option": 0}).status_code == 400
    other = Client().post(url, {"offer": offer_for_ben.pk, "option": 0})
    assert other.status_code == 409 and "not yours" in other.content.decode()
    assert not ScheduledSession.objects.exists()


def grid_slots(token: str) -> list[str]:
    """The half-days the candidate's grid lets them tick (not those greyed out as too soon)."""
    grid = Client().get(reverse("candidate-schedule", args=[token])).context["grid"]
    return [c[0] for c in grid.fields["slots"].choices if c[0] not in grid.closed_slots()]


def test_week_grid_saves_availability_in_the_candidates_zone_and_offers_options_inside_it(
    planned: Position,
) -> None:
    ana = finalist(planned, "Ana Finalist")
    token = link_for(ana)
    chosen = grid_slots(token)[2:8]
    saved = Client().post(
        reverse("candidate-availability", args=[token]),
        {"time_zone": "Europe/London", "slots": chosen},
        follow=True,
    )
    assert saved.status_code == 200
    spans = list(CandidateAvailability.objects.filter(application=ana))
    assert len(spans) == len(chosen)
    assert {s.starts_at.astimezone(ZoneInfo("Europe/London")).hour for s in spans} <= {9, 13}
    assert CandidateTimeZone.objects.get(application=ana).time_zone == "Europe/London"
    offer = LoopOffer.objects.get(application=ana, status=OfferStatus.OPEN)
    for option in offer.options:  # every session inside a half-day she ticked
        for session in option:
            start = datetime.fromisoformat(session["start"])
            end = datetime.fromisoformat(session["end"])
            assert any(s.starts_at <= start and end <= s.ends_at for s in spans)


def test_a_grid_no_loop_fits_is_kept_and_says_so(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    CandidateTimeZone.objects.create(application=ana, time_zone="Asia/Tokyo")
    token = link_for(ana)
    saved = Client().post(  # Tokyo mornings are Berlin's night
        reverse("candidate-availability", args=[token]),
        {"time_zone": "Asia/Tokyo", "slots": grid_slots(token)[:2]},
        follow=True,
    )
    assert "No whole interview fits" in saved.content.decode()
    assert CandidateAvailability.objects.filter(application=ana).count() == 2
    assert not LoopOffer.objects.exists()


def test_bad_zone_and_unknown_slots_are_refused_by_field(planned: Position) -> None:
    token = link_for(finalist(planned, "Ana Finalist"))
    url = reverse("candidate-availability", args=[token])
    bad_zone = Client().post(url, {"time_zone": "Mars/Olympus", "slots": []})
    assert bad_zone.status_code == 400 and "Mars/Olympus" in bad_zone.content.decode()
    bad_slot = Client().post(url, {"time_zone": "Europe/Berlin", "slots": ["1999-01-01:am"]})
    assert bad_slot.status_code == 400
    assert not CandidateAvailability.objects.exists()


def test_revoked_and_unknown_links_are_refused(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    link, token = create_invite_link(actor=planned.hiring_manager, application=ana)
    revoke_invite_link(actor=planned.hiring_manager, link=link)
    assert Client().get(reverse("candidate-schedule", args=[token])).status_code == 410
    assert Client().get(reverse("candidate-schedule", args=["nope"])).status_code == 404
    assert Client().post(reverse("candidate-reschedule", args=[token])).status_code == 410


def test_reschedule_limit_is_shown_and_enforced(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    token = link_for(ana)
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    offers.pick_option(application=ana, offer_id=offer.pk, index=0, portal_link=LINK)
    asked = Client().post(reverse("candidate-reschedule", args=[token]), follow=True)
    new = LoopOffer.objects.get(application=ana, status=OfferStatus.OPEN)
    assert "Pick new times" in asked.content.decode()
    Client().post(reverse("candidate-pick", args=[token]), {"offer": new.pk, "option": 1})
    page = Client().get(reverse("candidate-schedule", args=[token])).content.decode()
    assert "write to your recruiter" in page
    refused = Client().post(reverse("candidate-reschedule", args=[token]))
    assert refused.status_code == 409


def test_the_page_speaks_the_candidates_language(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    ana.candidate.language = "de"
    ana.candidate.save(update_fields=["language"])
    offer = offers.offer_times(actor=planned.hiring_manager, application=ana)
    token = link_for(ana)
    page = Client().get(reverse("candidate-schedule", args=[token]))
    html = page.content.decode()
    assert page.status_code == 200 and page["Content-Language"] == "de"
    assert "Wählen Sie die Zeiten, die Ihnen passen" in html
    assert "Pick the times that suit you" not in html
    picked = Client().post(
        reverse("candidate-pick", args=[token]), {"offer": offer.pk, "option": 0}, follow=True
    )
    assert "Gebucht." in picked.content.decode()


def test_a_zone_with_spaces_around_it_is_read_as_that_zone(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    CandidateTimeZone.objects.create(application=ana, time_zone="Asia/Tokyo")
    token = link_for(ana)
    saved = Client().post(
        reverse("candidate-availability", args=[token]),
        {"time_zone": "  Asia/Tokyo ", "slots": grid_slots(token)[:2]},
    )
    assert saved.status_code == 302
    assert CandidateTimeZone.objects.get(application=ana).time_zone == "Asia/Tokyo"


def test_booked_sessions_that_have_ended_took_place_and_offer_no_video_link(
    planned: Position,
) -> None:
    ana = finalist(planned, "Ana Finalist")
    booked = book_directly(ana, timezone.now() - timedelta(minutes=50))
    ended = [s for s in booked if s.ends_at <= timezone.now()]
    ahead = [s for s in booked if s.ends_at > timezone.now()]
    assert ended and ahead
    html = Client().get(reverse("candidate-schedule", args=[link_for(ana)])).content.decode()
    for session in ended:
        assert f'href="{session.video_link}"' not in html
    for session in ahead:
        assert f'href="{session.video_link}"' in html
    assert html.count("Took place") == len(ended)


def alerts(html: str) -> str:
    """The text of the page's role="alert" regions (what a screen reader announces at once)."""
    return " ".join(re.findall(r'<div role="alert"[^>]*>(.*?)</div>', html, flags=re.S))


@pytest.mark.parametrize(
    "posted",
    [
        {"offer": "abc", "option": 0},
        {"offer": 1},  # no option
        {"option": 0},  # no offer
        {"offer": 2**70, "option": "-1"},
        {},
    ],
)
def test_a_pick_that_cannot_be_read_answers_the_schedule_page_saying_so(
    planned: Position, posted: dict[str, object]
) -> None:
    ana = finalist(planned, "Ana Finalist")
    offers.offer_times(actor=planned.hiring_manager, application=ana)
    token = link_for(ana)
    refused = Client().post(reverse("candidate-pick", args=[token]), posted)
    html = refused.content.decode()
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("text/html")
    assert "Your interview times" in html  # the schedule page, options and all
    assert "That choice could not be read" in alerts(html)
    assert not ScheduledSession.objects.exists()
    assert LoopOffer.objects.get(application=ana).status == OfferStatus.OPEN


def test_a_week_grid_from_a_stale_tab_after_booking_is_refused_saying_why(
    planned: Position,
) -> None:
    """The grid is not on the page once the loop is booked: a tab left open from before
    posts it anyway (days that have since gone by, or still in the window). Both are refused
    with a message the page shows, and nothing stored changes."""
    ana = finalist(planned, "Ana Finalist")
    token = link_for(ana)
    still_open = grid_slots(token)[:2]
    book_directly(ana, next_weekday())
    before = list(CandidateAvailability.objects.filter(application=ana).values_list("pk"))
    zones = list(CandidateTimeZone.objects.filter(application=ana).values_list("time_zone"))
    url = reverse("candidate-availability", args=[token])
    for slots in (still_open, ["2001-01-01:am"]):
        refused = Client().post(url, {"time_zone": "Europe/London", "slots": slots})
        html = refused.content.decode()
        assert refused.status_code == 409, slots
        assert "Your interview is already booked" in alerts(html)
        assert "Find other times" in html  # what to do instead is on the page
    assert list(CandidateAvailability.objects.filter(application=ana).values_list("pk")) == before
    assert list(CandidateTimeZone.objects.filter(application=ana).values_list("time_zone")) == zones
    assert not LoopOffer.objects.filter(application=ana).exists()


def test_a_week_grid_after_the_interview_took_place_says_it_took_place(
    planned: Position,
) -> None:
    ana = finalist(planned, "Ana Finalist")
    token = link_for(ana)
    slots = grid_slots(token)[:2]
    book_directly(ana, timezone.now() - timedelta(days=3))
    refused = Client().post(
        reverse("candidate-availability", args=[token]), {"time_zone": "UTC", "slots": slots}
    )
    assert refused.status_code == 409
    said = alerts(refused.content.decode())
    assert "has begun or taken place" in said and "write to your recruiter" in said
    assert not CandidateAvailability.objects.filter(application=ana).exists()


def test_refusals_of_a_lost_pick_and_a_stale_grid_speak_german(planned: Position) -> None:
    ana = finalist(planned, "Ana Finalist")
    ana.candidate.language = "de"
    ana.candidate.save(update_fields=["language"])
    token = link_for(ana)
    slots = grid_slots(token)[:2]
    lost = Client().post(reverse("candidate-pick", args=[token]), {"offer": "abc"})
    said = alerts(lost.content.decode())
    assert lost.status_code == 400
    assert "Uns fehlt die Angabe, welche Zeiten Ihnen angeboten wurden und welche Option" in said
    book_directly(ana, next_weekday())
    stale = Client().post(
        reverse("candidate-availability", args=[token]), {"time_zone": "UTC", "slots": slots}
    )
    assert stale.status_code == 409
    assert "Ihr Interview ist bereits gebucht" in alerts(stale.content.decode())
