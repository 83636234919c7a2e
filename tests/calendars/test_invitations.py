"""Invitations and feeds, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest

from secondround.calendars.busy import busy_from_ical
from secondround.calendars.invitations import (
    Attendee,
    Contact,
    Method,
    PartStat,
    Role,
    SessionEvent,
    invitation,
    loop_invitations,
    personal_feed,
    session_uid,
)

BERLIN = ZoneInfo("Europe/Berlin")
DOMAIN = "hire.example.org"
ORGANIZER = Contact("recruiting@example.org", "Rita Recruiter")
INES = Attendee("ines@example.org", "Inês Alves")
CANDIDATE = Attendee("sam@example.net", "Sam Candidate", role=Role.REQUIRED)
OBSERVER = Attendee(
    "obs@example.org", "Olu Observer", role=Role.OPTIONAL, partstat=PartStat.ACCEPTED, rsvp=False
)
STAMP = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def deep_dive(**changes: object) -> SessionEvent:
    fields: dict[str, object] = {
        "loop_id": 7,
        "session_id": 31,
        "title": "Technical deep dive",
        # Monday after the Berlin change: 10:00 CEST is 08:00 UTC
        "start": datetime(2026, 3, 30, 10, 0, tzinfo=BERLIN),
        "end": datetime(2026, 3, 30, 11, 0, tzinfo=BERLIN),
        "time_zone": "Europe/Berlin",
        "sequence": 0,
        "attendees": (INES, CANDIDATE, OBSERVER),
        "description": "Walk us through a system you built.",
        "video_url": "https://meet.example.org/loop-7-deep-dive",
    }
    fields.update(changes)
    return SessionEvent(**fields)  # type: ignore[arg-type]


def parse(ics: bytes) -> tuple[icalendar.Calendar, list[icalendar.Event]]:
    calendar = icalendar.Calendar.from_ical(ics)
    return calendar, list(calendar.walk("VEVENT"))


def test_request_parses_back_with_every_part() -> None:
    calendar, (event,) = parse(
        invitation(deep_dive(), organizer=ORGANIZER, domain=DOMAIN, stamp=STAMP)
    )
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == "loop-7-session-31@hire.example.org"
    assert event["SEQUENCE"] == 0
    assert event["DTSTAMP"].dt == STAMP
    assert event["DTSTART"].dt.astimezone(UTC) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert event["DTEND"].dt.astimezone(UTC) == datetime(2026, 3, 30, 9, 0, tzinfo=UTC)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event["SUMMARY"] == "Technical deep dive"
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["ORGANIZER"]) == "mailto:recruiting@example.org"
    assert event["ORGANIZER"].params["CN"] == "Rita Recruiter"
    assert event["URL"] == "https://meet.example.org/loop-7-deep-dive"
    assert event["LOCATION"] == "https://meet.example.org/loop-7-deep-dive"
    assert "Join by video: https://meet.example.org/loop-7-deep-dive" in event["DESCRIPTION"]


def test_attendees_carry_role_partstat_and_rsvp() -> None:
    _, (event,) = parse(invitation(deep_dive(), organizer=ORGANIZER, domain=DOMAIN))
    attendees = {str(a): a.params for a in event["ATTENDEE"]}
    assert set(attendees) == {
        "mailto:ines@example.org",
        "mailto:sam@example.net",
        "mailto:obs@example.org",
    }
    assert attendees["mailto:ines@example.org"]["CN"] == "Inês Alves"
    assert attendees["mailto:ines@example.org"]["ROLE"] == "REQ-PARTICIPANT"
    assert attendees["mailto:ines@example.org"]["PARTSTAT"] == "NEEDS-ACTION"
    assert attendees["mailto:ines@example.org"]["RSVP"] == "TRUE"
    assert attendees["mailto:obs@example.org"]["ROLE"] == "OPT-PARTICIPANT"
    assert attendees["mailto:obs@example.org"]["PARTSTAT"] == "ACCEPTED"
    assert attendees["mailto:obs@example.org"]["RSVP"] == "FALSE"


def test_vtimezone_for_the_zone_used_covers_the_change() -> None:
    calendar, _ = parse(invitation(deep_dive(), organizer=ORGANIZER, domain=DOMAIN))
    (zone,) = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Berlin"
    (daylight,) = zone.walk("DAYLIGHT")
    rdates = daylight["RDATE"] if isinstance(daylight["RDATE"], list) else [daylight["RDATE"]]
    onsets = [period.dt for rdate in rdates for period in rdate.dts]
    assert datetime(2026, 3, 29, 3, 0) in onsets  # the spring change inside the week
    assert daylight["TZOFFSETTO"].td == timedelta(hours=2)


def test_a_reader_in_new_york_sees_the_same_instant() -> None:
    session = deep_dive(time_zone="America/New_York")
    calendar, (event,) = parse(invitation(session, organizer=ORGANIZER, domain=DOMAIN))
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event["DTSTART"].dt.hour == 4  # 08:00 UTC is 04:00 EDT
    assert event["DTSTART"].dt.astimezone(UTC) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)
    assert [z["TZID"] for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_update_keeps_the_uid_and_raises_the_sequence() -> None:
    first = invitation(deep_dive(), organizer=ORGANIZER, domain=DOMAIN)
    moved = deep_dive(
        sequence=1,
        start=datetime(2026, 3, 31, 14, tzinfo=BERLIN),
        end=datetime(2026, 3, 31, 15, tzinfo=BERLIN),
    )
    second = invitation(moved, organizer=ORGANIZER, domain=DOMAIN)
    (_, (before,)), (_, (after,)) = parse(first), parse(second)
    assert before["UID"] == after["UID"]
    assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1)
    assert after["DTSTART"].dt.astimezone(UTC) == datetime(2026, 3, 31, 12, tzinfo=UTC)


def test_cancel_keeps_the_uid() -> None:
    calendar, (event,) = parse(
        invitation(deep_dive(sequence=2), organizer=ORGANIZER, domain=DOMAIN, method=Method.CANCEL)
    )
    assert calendar["METHOD"] == "CANCEL"
    assert event["UID"] == session_uid(7, 31, DOMAIN)
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2


def test_in_person_session_names_the_room() -> None:
    session = deep_dive(video_url="", location="Room Lovelace, 3rd floor")
    _, (event,) = parse(invitation(session, organizer=ORGANIZER, domain=DOMAIN))
    assert event["LOCATION"] == "Room Lovelace, 3rd floor"
    assert "URL" not in event
    assert "Where: Room Lovelace, 3rd floor" in event["DESCRIPTION"]


def test_text_with_commas_semicolons_and_newlines_round_trips() -> None:
    title = "Values; culture, and\nmission"
    _, (event,) = parse(invitation(deep_dive(title=title), organizer=ORGANIZER, domain=DOMAIN))
    assert event["SUMMARY"] == title


def test_a_loop_is_one_message_per_session() -> None:
    sessions = [
        deep_dive(
            session_id=n,
            start=deep_dive().start + timedelta(hours=n),
            end=deep_dive().end + timedelta(hours=n),
        )
        for n in (1, 2, 3)
    ]
    messages = loop_invitations(sessions, organizer=ORGANIZER, domain=DOMAIN)
    assert [uid for uid, _ in messages] == [session_uid(7, n, DOMAIN) for n in (1, 2, 3)]
    for uid, ics in messages:
        calendar, (event,) = parse(ics)
        assert calendar["METHOD"] == "REQUEST" and event["UID"] == uid


def test_personal_feed_publishes_every_session_in_order() -> None:
    later = deep_dive(
        session_id=40,
        start=datetime(2026, 4, 2, 9, tzinfo=BERLIN),
        end=datetime(2026, 4, 2, 10, tzinfo=BERLIN),
        time_zone="Europe/Lisbon",
    )
    feed = personal_feed(
        [later, deep_dive()], owner_name="Inês Alves", organizer=ORGANIZER, domain=DOMAIN
    )
    calendar, events = parse(feed)
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar["X-WR-CALNAME"] == "Interviews — Inês Alves"
    assert [e["UID"] for e in events] == [session_uid(7, 31, DOMAIN), session_uid(7, 40, DOMAIN)]
    assert {z["TZID"] for z in calendar.walk("VTIMEZONE")} == {"Europe/Berlin", "Europe/Lisbon"}
    assert events[1]["DTSTART"].dt.astimezone(UTC) == datetime(2026, 4, 2, 7, tzinfo=UTC)


def test_feed_reads_back_as_busy_time() -> None:
    feed = personal_feed([deep_dive()], owner_name="Inês", organizer=ORGANIZER, domain=DOMAIN)
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in feed
    assert b"X-PUBLISHED-TTL:PT1H" in feed
    busy = busy_from_ical(
        [feed],
        start=datetime(2026, 3, 30, tzinfo=UTC),
        end=datetime(2026, 3, 31, tzinfo=UTC),
        time_zone="UTC",
    )
    assert [(b.start, b.end) for b in busy] == [
        (datetime(2026, 3, 30, 8, tzinfo=UTC), datetime(2026, 3, 30, 9, tzinfo=UTC))
    ]


def test_empty_feed_is_still_a_calendar() -> None:
    calendar, events = parse(
        personal_feed([], owner_name="Nobody", organizer=ORGANIZER, domain=DOMAIN)
    )
    assert calendar["METHOD"] == "PUBLISH" and events == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": datetime(2026, 3, 30, 9, 0, tzinfo=BERLIN)}, "end"),
        ({"start": datetime(2026, 3, 30, 10, 0)}, "start"),
        ({"sequence": -1}, "sequence"),
        ({"title": "  "}, "title"),
        ({"video_url": "javascript:alert(1)"}, "video_url"),
        ({"time_zone": "Europe/Atlantis"}, "time zone"),
    ],
)
def test_bad_sessions_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        deep_dive(**changes)


def test_bad_addresses_and_domains_are_refused() -> None:
    with pytest.raises(ValueError, match="email"):
        Attendee("not an address")
    with pytest.raises(ValueError, match="domain"):
        session_uid(1, 2, "evil.org\r\nATTENDEE:mailto:x@y.z")
