"""Issue 12: scheduling acts are in the audit log (who, what, where the override's reason is)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from secondround.audit.models import AuditAction, AuditEvent
from secondround.hiring.models import RaterQualification
from secondround.scheduling import services
from tests.scheduling.conftest import Setup, at, next_monday
from tests.scheduling.test_services import placements

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_booking_moving_replacing_and_cancelling_are_audited(setup: Setup) -> None:
    aisha, jordan = setup.finalists
    start = at(next_monday() + timedelta(days=1), 10)
    booked = services.book_loop(aisha, placements(setup, start), setup.manager)
    event = AuditEvent.objects.get(action=AuditAction.LOOP_BOOKED)
    assert event.actor == setup.manager and f"application #{aisha.pk}" in event.summary
    assert aisha.candidate.full_name not in event.summary  # erasure leaves nothing here
    deep_dive = booked.sessions[1]
    services.move_session(booked.sessions[2], start + timedelta(hours=3), setup.manager)
    moved = AuditEvent.objects.get(action=AuditAction.SESSION_MOVED)
    assert "Wrap-up" in moved.summary and "13:00" in moved.summary
    RaterQualification.objects.create(person=setup.tom, kind="technical")
    seat = setup.sessions[1].seats.get()
    services.replace_interviewer(deep_dive, seat, setup.tom, setup.manager)
    replaced = AuditEvent.objects.get(action=AuditAction.INTERVIEWER_REPLACED)
    assert setup.tom.full_name in replaced.summary and setup.priya.full_name in replaced.summary
    services.cancel_loop(aisha, setup.manager, "The candidate withdrew")
    cancelled = AuditEvent.objects.get(action=AuditAction.LOOP_CANCELLED)
    assert "The candidate withdrew" not in cancelled.summary  # free text stays off the log
    assert f"reason kept on session #{booked.sessions[0].pk}" in cancelled.summary
    booked.sessions[0].refresh_from_db()
    assert booked.sessions[0].override_reason == "The candidate withdrew"
    assert actions() == [
        AuditAction.LOOP_BOOKED,
        AuditAction.SESSION_MOVED,
        AuditAction.INTERVIEWER_REPLACED,
        AuditAction.LOOP_CANCELLED,
    ]
    assert jordan  # untouched


def test_an_override_is_audited_with_its_reason(setup: Setup) -> None:
    aisha, jordan = setup.finalists
    start = at(next_monday() + timedelta(days=1), 10)
    services.book_loop(aisha, placements(setup, start), setup.manager)
    booked = services.book_loop(
        jordan, placements(setup, start + timedelta(minutes=30)), setup.manager,
        override_reason="Priya asked to pair-interview both",
    )  # fmt: skip
    override = AuditEvent.objects.get(action=AuditAction.SCHEDULE_OVERRIDDEN)
    # The reason may name the candidate; the log cannot be redacted, the session can.
    assert "Priya asked" not in override.summary
    first = min(booked.sessions, key=lambda s: s.starts_at)
    assert f"reason kept on session #{first.pk}" in override.summary
    assert first.override_reason == "Priya asked to pair-interview both"
    assert f"application #{jordan.pk}" in override.summary
    assert override.actor == setup.manager


def test_a_refused_booking_leaves_no_event(setup: Setup) -> None:
    aisha, jordan = setup.finalists
    start = at(next_monday() + timedelta(days=1), 10)
    services.book_loop(aisha, placements(setup, start), setup.manager)
    with pytest.raises(Exception):  # noqa: B017 - the clash is refused
        services.book_loop(jordan, placements(setup, start), setup.manager)
    assert actions() == [AuditAction.LOOP_BOOKED]
