"""The interviewer's agenda, their private feed (over a live server) and declining."""

from __future__ import annotations

import urllib.error
import urllib.request

import icalendar
import pytest
from django.urls import reverse

from secondround.bookings.models import CalendarFeed, Decline
from secondround.bookings.services import decline_interview, regenerate_calendar_feed
from secondround.hiring.models import Interview, Position
from secondround.scheduling.models import PersonAvailability
from tests.bookings.conftest import book_directly, finalist, next_weekday
from tests.conftest import client_for


def seated_person(position: Position):
    booked = book_directly(finalist(position, "Ana Finalist"), next_weekday())
    return booked[0].assignments.first().interviewer, booked


@pytest.mark.django_db
def test_agenda_lists_the_interview_in_the_persons_zone_with_kit_and_decline(
    planned: Position,
) -> None:
    person, booked = seated_person(planned)
    PersonAvailability.objects.create(user=person, time_zone="America/New_York")
    page = client_for(person).get(reverse("my-interviews"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ana Finalist" in html and "America/New_York" in html
    local = booked[0].starts_at.astimezone(__import__("zoneinfo").ZoneInfo("America/New_York"))
    assert f"{local:%H:%M}" in html  # 03:00 in New York for 09:00 in Berlin
    assert reverse("interview-decline", args=[person.interviews.first().pk]) in html
    assert "/kits/" in html and booked[0].video_link in html


@pytest.mark.django_db
def test_declining_needs_a_reason_and_is_recorded_once(planned: Position) -> None:
    person, _booked = seated_person(planned)
    interview = Interview.objects.filter(interviewer=person).first()
    client = client_for(person)
    url = reverse("interview-decline", args=[interview.pk])
    empty = client.post(url, {"reason": "  "})
    assert empty.status_code == 400 and not Decline.objects.exists()
    done = client.post(url, {"reason": "Sick leave that week"})
    assert done.status_code == 302
    assert Decline.objects.get().reason == "Sick leave that week"
    again = client.post(url, {"reason": "again"})
    assert again.status_code == 400 and "already declined" in again.content.decode()
    assert Decline.objects.count() == 1
    other = client_for(planned.hiring_manager).post(url, {"reason": "not mine"})
    assert other.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_feed_is_fetched_over_the_live_server_parsed_and_revocable(
    planned: Position,
    live_server,
) -> None:
    person, booked = seated_person(planned)
    _feed, token = regenerate_calendar_feed(user=person)
    url = live_server.url + reverse("interview-feed", args=[token])
    with urllib.request.urlopen(url) as response:
        assert response.headers["Content-Type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(response.read())
    assert calendar["METHOD"] == "PUBLISH"
    events = list(calendar.walk("VEVENT"))
    mine = [s for s in booked if s.assignments.filter(interviewer=person).exists()]
    assert len(events) == len(mine)
    assert {str(e["UID"]) for e in events} == {
        f"loop-{s.application_id}-session-{s.uid}@localhost" for s in mine
    }
    assert calendar.walk("VTIMEZONE")
    # A new address ends the old one; revoking ends the new one.
    _feed, new_token = regenerate_calendar_feed(user=person)
    with pytest.raises(urllib.error.HTTPError) as old:
        urllib.request.urlopen(url)
    assert old.value.code == 404
    client_for(person).post(reverse("interview-feed-manage"), {"action": "revoke"})
    with pytest.raises(urllib.error.HTTPError) as revoked:
        urllib.request.urlopen(live_server.url + reverse("interview-feed", args=[new_token]))
    assert revoked.value.code == 404
    assert CalendarFeed.objects.get(user=person).revoked_at is not None


@pytest.mark.django_db
def test_feed_token_is_not_stored_and_the_agenda_shows_the_url_again(planned: Position) -> None:
    person, _booked = seated_person(planned)
    feed, token = regenerate_calendar_feed(user=person)
    assert token not in feed.token_hash and token not in feed.nonce
    page = client_for(person).get(reverse("my-interviews")).content.decode()
    assert reverse("interview-feed", args=[token]) in page


@pytest.mark.django_db
def test_a_past_interview_cannot_be_declined(planned: Position) -> None:
    from django.core.exceptions import ValidationError

    person, _booked = seated_person(planned)
    interview = Interview.objects.filter(interviewer=person).first()
    Interview.objects.filter(pk=interview.pk).update(starts_at=next_weekday(-14))
    interview.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        decline_interview(actor=person, interview=interview, reason="late")
    assert "interview" in refused.value.message_dict


@pytest.mark.django_db
def test_a_decided_candidates_interview_links_no_kit_and_no_video_once_over(
    planned: Position,
) -> None:
    """The kit is open while the candidate is a finalist; after the decision the agenda says
    so rather than linking a kit that answers 404, and an interview that is over offers no
    video call to join."""
    from datetime import timedelta

    from django.utils import timezone

    from secondround.hiring.models import Application, Stage
    from secondround.scheduling.models import ScheduledSession

    person, booked = seated_person(planned)
    application = booked[0].application
    kit_link = reverse("kit", args=[booked[0].assignments.first().seat_id, application.pk])
    assert client_for(person).get(kit_link).status_code == 200

    shift = timezone.now() - timedelta(days=3) - booked[0].starts_at
    for session in booked:
        ScheduledSession.objects.filter(pk=session.pk).update(starts_at=session.starts_at + shift)
    for interview in Interview.objects.filter(application=application):
        Interview.objects.filter(pk=interview.pk).update(starts_at=interview.starts_at + shift)
    Application.objects.filter(pk=application.pk).update(stage=Stage.REJECTED)

    html = client_for(person).get(reverse("my-interviews")).content.decode()
    assert "Ana Finalist" in html
    assert kit_link not in html
    assert "Decided: the kit is closed." in html
    assert booked[0].video_link not in html
    assert client_for(person).get(kit_link).status_code == 404  # the rule the agenda follows
