"""book_loop, move_session, cancel_loop and schedule_position against the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import RestrictedError

from secondround.hiring.models import Interview
from secondround.scheduling import selectors, services
from secondround.scheduling.models import (
    BusyBlock,
    CandidateTimeZone,
    PersonAvailability,
    Room,
    ScheduledSession,
    SessionStatus,
)
from secondround.scheduling.services import Placement
from tests.scheduling.conftest import BERLIN, Setup, at, next_monday

pytestmark = pytest.mark.django_db


def placements(setup: Setup, start: datetime, room: Room | None = None) -> list[Placement]:
    """The three sessions back to back from `start`, each seat with its own interviewer."""
    out, moment = [], start
    for session in setup.sessions:
        people = {seat.pk: seat.interviewer for seat in session.seats.all()}
        out.append(Placement(session, moment, people, room))
        moment += timedelta(minutes=session.duration_minutes)
    return out


def test_book_loop_writes_sessions_and_one_interview_per_seat(setup: Setup) -> None:
    aisha = setup.finalists[0]
    start = at(next_monday() + timedelta(days=1), 10)
    booked = services.book_loop(aisha, placements(setup, start), setup.manager)
    assert len(booked.sessions) == 3
    interviews = Interview.objects.filter(application=aisha).order_by("starts_at")
    assert [(i.interviewer, i.starts_at) for i in interviews] == [
        (setup.recruiter, start),
        (setup.priya, start + timedelta(minutes=15)),
        (setup.recruiter, start + timedelta(minutes=75)),
    ]
    deep_dive = booked.sessions[1]
    assert list(deep_dive.interviews.all()) == [interviews[1]]
    assert deep_dive.video_link.startswith("https://meet.example.com/sr-")
    assert interviews[1].location == deep_dive.video_link


def test_a_clash_is_refused_naming_the_person_and_the_clash(setup: Setup) -> None:
    aisha, jordan = setup.finalists
    start = at(next_monday() + timedelta(days=1), 10)
    services.book_loop(aisha, placements(setup, start), setup.manager)
    with pytest.raises(ValidationError) as refused:
        services.book_loop(jordan, placements(setup, start + timedelta(minutes=30)), setup.manager)
    text = " ".join(refused.value.messages)
    assert "Priya Nair already interviews Aisha Bello (Role deep dive)" in text
    assert "Give a reason to override" in text
    assert not ScheduledSession.objects.filter(application=jordan).exists()
    assert Interview.objects.filter(application=jordan).count() == 0


def test_an_override_with_a_reason_is_kept(setup: Setup) -> None:
    aisha, jordan = setup.finalists
    start = at(next_monday() + timedelta(days=1), 10)
    services.book_loop(aisha, placements(setup, start), setup.manager)
    booked = services.book_loop(
        jordan, placements(setup, start + timedelta(minutes=30)), setup.manager,
        override_reason="Priya asked to pair-interview both",
    )  # fmt: skip
    row = ScheduledSession.objects.get(pk=booked.sessions[1].pk)
    assert row.override_reason == "Priya asked to pair-interview both"
    assert any("Priya Nair already interviews" in c for c in row.override_clashes)


def test_caps_are_hard_per_person_lowered_cap(setup: Setup) -> None:
    """Priya lowered her cap to one interview a day: a second loop the same day needs a reason."""
    PersonAvailability.objects.create(user=setup.priya, max_per_day=1)
    aisha, jordan = setup.finalists
    day = next_monday() + timedelta(days=2)
    services.book_loop(aisha, placements(setup, at(day, 9)), setup.manager)
    with pytest.raises(ValidationError) as refused:
        services.book_loop(jordan, placements(setup, at(day, 14)), setup.manager)
    assert "Priya Nair would have 2 interviews on" in " ".join(refused.value.messages)


def test_a_cap_above_the_policy_is_refused(setup: Setup) -> None:
    with pytest.raises(ValidationError) as refused:
        services.save_availability(
            setup.priya, time_zone="Europe/Berlin", working_hours={"0": [["09:00", "17:00"]]},
            max_per_day=5, max_per_week=None,
        )  # fmt: skip
    assert "max_per_day" in refused.value.message_dict


def test_a_room_is_never_double_booked_even_with_a_reason(setup: Setup) -> None:
    room = Room.objects.create(name="Osprey", capacity=4)
    aisha, jordan = setup.finalists
    start = at(next_monday() + timedelta(days=1), 10)
    services.book_loop(aisha, placements(setup, start, room), setup.manager)
    with pytest.raises(ValidationError) as refused:
        services.book_loop(
            jordan, placements(setup, start, room), setup.manager, override_reason="urgent"
        )
    assert "Osprey is taken" in " ".join(refused.value.message_dict["room"])


def test_move_session_rechecks_busy_times_and_raises_the_sequence(setup: Setup) -> None:
    aisha = setup.finalists[0]
    day = next_monday() + timedelta(days=1)
    booked = services.book_loop(aisha, placements(setup, at(day, 9)), setup.manager)
    deep_dive = booked.sessions[1]
    BusyBlock.objects.create(user=setup.priya, starts_at=at(day, 13), ends_at=at(day, 14))
    with pytest.raises(ValidationError) as refused:
        services.move_session(deep_dive, at(day, 13), setup.manager)
    text = " ".join(refused.value.messages)
    assert "Priya Nair is busy" in text
    assert "Role deep dive would start" not in text  # wrap-up moved check is about order:
    moved = services.move_session(deep_dive, at(day, 9, 15) + timedelta(minutes=0), setup.manager)
    assert moved.sequence == 1
    assert Interview.objects.get(seat_assignment__scheduled_session=moved).starts_at == at(
        day, 9, 15
    )


def test_cancel_loop_removes_the_interviews(setup: Setup) -> None:
    aisha = setup.finalists[0]
    services.book_loop(
        aisha, placements(setup, at(next_monday() + timedelta(days=1), 10)), setup.manager
    )
    cancelled = services.cancel_loop(aisha, setup.manager, reason="withdrew")
    assert len(cancelled.sessions) == 3
    assert setup.priya in cancelled.people[cancelled.sessions[1].pk]
    assert not Interview.objects.filter(application=aisha).exists()
    assert set(
        ScheduledSession.objects.filter(application=aisha).values_list("status", "sequence")
    ) == {(SessionStatus.CANCELLED, 1)}


def test_only_the_hiring_team_books(setup: Setup) -> None:
    with pytest.raises(PermissionDenied):
        services.book_loop(
            setup.finalists[0], placements(setup, at(next_monday(), 10)), setup.priya
        )


def test_schedule_position_books_every_finalist_without_clashes(setup: Setup) -> None:
    week = next_monday()
    result = services.schedule_position(setup.position, week, setup.manager, time_limit_seconds=5)
    assert result.unplaced == []
    assert {p.application for p in result.planned} == set(setup.finalists)
    deep_dives = ScheduledSession.objects.filter(session=setup.sessions[1]).order_by("starts_at")
    first, second = deep_dives
    assert second.starts_at >= first.ends_at + timedelta(minutes=15)  # buffer
    for row in ScheduledSession.objects.all():
        local = row.starts_at.astimezone(BERLIN)
        assert local.date() >= week and 9 <= local.hour < 17
        assert row.override_reason == ""


def test_schedule_position_dry_run_writes_nothing(setup: Setup) -> None:
    result = services.schedule_position(
        setup.position, next_monday(), setup.manager, dry_run=True, time_limit_seconds=5
    )
    assert len(result.planned) == 2 and not result.booked
    assert not ScheduledSession.objects.exists()


def test_infeasible_is_explained_in_words(setup: Setup) -> None:
    """Priya is busy the whole week: nobody else may take her seat."""
    start, end = selectors.week_bounds(next_monday(), "Europe/Berlin")
    BusyBlock.objects.create(user=setup.priya, starts_at=start, ends_at=end)
    result = services.schedule_position(
        setup.position, next_monday(), setup.manager, dry_run=True, time_limit_seconds=5
    )
    assert not result.planned
    reasons = " ".join(r for _a, rs in result.unplaced for r in rs)
    assert "Priya Nair" in reasons


def test_a_candidate_in_another_zone_is_booked_in_their_hours(setup: Setup) -> None:
    """Aisha is in New York and gave no times: 09:00–17:00 New York is 15:00–23:00 in Berlin
    (14:00–22:00 in the week between Europe's and America's daylight-saving changes), so her
    loop lands in the panel's afternoon, never before her 09:00."""
    aisha = setup.finalists[0]
    CandidateTimeZone.objects.create(application=aisha, time_zone="America/New_York")
    result = services.schedule_position(
        setup.position, next_monday(), setup.manager, applications=[aisha], time_limit_seconds=5
    )
    assert result.unplaced == []
    new_york = selectors.ZoneInfo("America/New_York")
    rows = ScheduledSession.objects.filter(application=aisha)
    assert rows.exists()
    for row in rows:
        her_day = row.starts_at.astimezone(new_york).date()
        assert row.starts_at >= datetime.combine(her_day, time(9), new_york)
        assert row.ends_at <= datetime.combine(her_day, time(17), new_york)
        assert row.starts_at.astimezone(BERLIN).hour >= 14  # the panel's afternoon


def _last_sunday_of_march_after(today: date) -> date:
    year = today.year if today < date(today.year, 3, 20) else today.year + 1
    day = date(year, 3, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def test_a_week_with_a_daylight_saving_change(setup: Setup) -> None:
    """Clocks go forward on Sunday; a loop on that Sunday keeps 09:00 local (07:00 UTC)."""
    change = _last_sunday_of_march_after(date.today())
    week = change - timedelta(days=6)
    everyone = {str(d): [["09:00", "17:00"]] for d in range(7)}
    for person in (setup.recruiter, setup.priya):
        PersonAvailability.objects.create(user=person, working_hours=everyone)
    aisha = setup.finalists[0]
    services.set_candidate_availability(
        setup.manager, aisha, time_zone="Europe/Berlin", spans=[(at(change, 9), at(change, 12))]
    )
    start, end = selectors.week_bounds(week, "Europe/Berlin")
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=167)
    now = datetime.combine(week - timedelta(days=7), datetime.min.time(), UTC)
    result = services.schedule_position(
        setup.position, week, setup.manager, applications=[aisha], now=now,
        time_limit_seconds=5,
    )  # fmt: skip
    assert result.unplaced == []
    first = ScheduledSession.objects.filter(application=aisha).order_by("starts_at").first()
    assert first is not None
    assert first.starts_at.astimezone(BERLIN).date() == change
    assert first.starts_at.astimezone(UTC).hour >= 7  # 09:00 CEST, not 08:00 UTC (CET)


def test_bad_week_is_refused_by_field(setup: Setup) -> None:
    with pytest.raises(ValidationError) as refused:
        services.schedule_position(setup.position, date(2020, 1, 6), setup.manager)
    assert "week" in refused.value.message_dict


def test_a_booked_session_keeps_its_loop_session_until_the_booking_is_cancelled(
    setup: Setup,
) -> None:
    aisha = setup.finalists[0]
    services.book_loop(
        aisha, placements(setup, at(next_monday() + timedelta(days=1), 10)), setup.manager
    )
    with pytest.raises(RestrictedError):
        setup.sessions[1].delete()
    assert Interview.objects.filter(application=aisha).count() == 3
    services.cancel_loop(aisha, setup.manager)
    setup.sessions[1].delete()  # the cancelled rows go with it
    assert ScheduledSession.objects.filter(application=aisha).count() == 2


def test_replace_interviewer_keeps_the_seat_and_rechecks_the_new_person(setup: Setup) -> None:
    """Tom is qualified for nothing technical: refused. Qualified, he takes Priya's seat."""
    from secondround.hiring.models import RaterQualification

    aisha = setup.finalists[0]
    booked = services.book_loop(
        aisha, placements(setup, at(next_monday() + timedelta(days=1), 10)), setup.manager
    )
    deep_dive = booked.sessions[1]
    seat = setup.sessions[1].seats.get()
    technical = setup.position.competencies.filter(kind="technical").first()
    assert technical is not None
    seat.competencies.add(technical)
    with pytest.raises(ValidationError) as refused:
        services.replace_interviewer(deep_dive, seat, setup.tom, setup.manager)
    assert "interviewer" in refused.value.message_dict
    RaterQualification.objects.create(person=setup.tom, kind="technical")
    changed = services.replace_interviewer(deep_dive, seat, setup.tom, setup.manager)
    assert changed.sequence == 1
    interview = Interview.objects.get(seat_assignment__scheduled_session=changed)
    assert interview.interviewer == setup.tom
    assert not Interview.objects.filter(application=aisha, interviewer=setup.priya).exists()


def test_the_first_booking_creates_the_policy_row_it_locks(db: None) -> None:
    from secondround.scheduling.models import SchedulingPolicy

    assert not SchedulingPolicy.objects.exists()
    services.lock_bookings()
    services.lock_bookings()
    assert list(SchedulingPolicy.objects.values_list("pk", flat=True)) == [1]
