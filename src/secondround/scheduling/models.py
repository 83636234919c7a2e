"""Scheduling: people's availability, rooms, the organisation's rules and the booked loops.

The contract with the bookings app is in the project's brief (sched_models.md): bookings builds
candidate options, declines and feeds on these rows; `services.book_loop` is the one writer of
ScheduledSession and the hiring.Interview rows behind it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.deletion import Collector
from django.utils.translation import gettext_lazy as _

from secondround.hiring.models import Application, Interview
from secondround.loops.models import LoopSession, Seat


def validate_time_zone(name: str) -> None:
    """An IANA zone name zoneinfo knows ("Europe/Berlin"); anything else is refused by field."""
    try:
        if not name or ("/" not in name and name != "UTC"):
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError) as error:
        raise ValidationError(
            _("%(name)s is not a time zone name like Europe/Berlin."),
            code="time_zone",
            params={"name": name},
        ) from error


# Bounds of what a candidate is offered. Under an hour every offer is born (nearly) expired;
# each option costs the engine a solve, and a candidate cannot weigh dozens; a notice longer
# than the two-week window leaves nothing to offer.
OPTION_COUNT_MAX = 10
OPTION_EXPIRY_HOURS = (1, 24 * 30)
MIN_NOTICE_HOURS_MAX = 24 * 14


class SchedulingPolicy(models.Model):
    """The organisation's scheduling rules: one row per installation (see `selectors.policy`)."""

    max_per_day = models.PositiveSmallIntegerField(_("interviews per person per day"), default=2)
    max_per_week = models.PositiveSmallIntegerField(_("interviews per person per week"), default=6)
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer after each interview (minutes)"), default=15
    )
    loop_days = models.PositiveSmallIntegerField(_("days a loop may span"), default=1)
    max_continuous_minutes = models.PositiveSmallIntegerField(
        _("longest stretch without a break (minutes)"), default=150
    )
    break_minutes = models.PositiveSmallIntegerField(_("break length (minutes)"), default=30)
    min_notice_hours = models.PositiveSmallIntegerField(_("minimum notice (hours)"), default=24)
    time_zone = models.CharField(
        _("organisation's time zone"),
        max_length=64,
        default="Europe/Berlin",
        validators=[validate_time_zone],
        help_text=_("Days and weekly caps are counted in this zone."),
    )
    video_link_pattern = models.CharField(
        _("video link pattern"),
        max_length=300,
        blank=True,
        default="https://meet.example.com/sr-{uid}",
        help_text=_("{uid} is replaced by the session's id; blank means links are pasted by hand."),
    )
    candidate_reschedule_limit = models.PositiveSmallIntegerField(
        _("times a candidate may reschedule"), default=1
    )
    option_count = models.PositiveSmallIntegerField(_("options offered to a candidate"), default=5)
    option_expiry_hours = models.PositiveSmallIntegerField(
        _("options expire after (hours)"), default=72
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("scheduling policy")
        verbose_name_plural = _("scheduling policy")

    def __str__(self) -> str:
        return f"{self.max_per_day}/day, {self.max_per_week}/week"

    def _offer_bounds(self) -> dict[str, str]:
        errors = {}
        if self.option_count > OPTION_COUNT_MAX:
            errors["option_count"] = _("At most %(n)s.") % {"n": OPTION_COUNT_MAX}
        low, high = OPTION_EXPIRY_HOURS
        if not low <= self.option_expiry_hours <= high:
            errors["option_expiry_hours"] = _("Between %(low)s and %(high)s hours.") % {
                "low": low, "high": high
            }  # fmt: skip
        if self.min_notice_hours > MIN_NOTICE_HOURS_MAX:
            errors["min_notice_hours"] = _("At most %(n)s hours (two weeks).") % {
                "n": MIN_NOTICE_HOURS_MAX
            }
        return errors

    def clean(self) -> None:
        errors: dict[str, object] = {}
        for name in ("max_per_day", "max_per_week", "loop_days", "option_count"):
            if getattr(self, name) < 1:
                errors[name] = _("At least 1.")
        if self.max_per_week < self.max_per_day:
            errors["max_per_week"] = _("A week cannot allow fewer interviews than a day.")
        errors.update(self._offer_bounds())
        if self.max_continuous_minutes < 30:
            errors["max_continuous_minutes"] = _("At least 30 minutes.")
        if self.video_link_pattern and not self.video_link_pattern.startswith("https://"):
            errors["video_link_pattern"] = _("The pattern must start with https://.")
        if errors:
            raise ValidationError(errors)


def default_working_hours() -> dict[str, list[list[str]]]:
    """Monday to Friday, 09:00–17:00 (weekday 0 is Monday, as in Python)."""
    return {str(day): [["09:00", "17:00"]] for day in range(5)}


class PersonAvailability(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_time_zone]
    )
    working_hours = models.JSONField(_("weekly working hours"), default=default_working_hours)
    max_per_day = models.PositiveSmallIntegerField(
        _("my interviews per day at most"), null=True, blank=True
    )
    max_per_week = models.PositiveSmallIntegerField(
        _("my interviews per week at most"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availabilities")

    def __str__(self) -> str:
        return f"{self.user} ({self.time_zone})"


class BusySource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    CALENDAR = "calendar", _("From the connected calendar")


class ConnectionKind(models.TextChoices):
    ICAL = "ical", _("Secret iCal feed address")
    CALDAV = "caldav", _("CalDAV account")


class CalendarConnection(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_connection"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ConnectionKind.choices)
    url = models.URLField(_("address"), max_length=1000)
    username = models.CharField(_("user name"), max_length=200, blank=True)
    secret = models.CharField(_("app password"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_tried_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("calendar connection")
        verbose_name_plural = _("calendar connections")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.user}"


class BusyBlock(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="busy_blocks"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    source = models.CharField(max_length=10, choices=BusySource.choices, default=BusySource.MANUAL)
    connection = models.ForeignKey(
        CalendarConnection,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="busy_blocks",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["user", "starts_at"])]
        verbose_name = _("busy time")
        verbose_name_plural = _("busy times")

    def __str__(self) -> str:
        return f"{self.user} busy {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class Room(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    capacity = models.PositiveSmallIntegerField(_("seats"), default=4)
    location = models.CharField(_("where"), max_length=200, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.name


class CandidateAvailability(models.Model):
    """A span in which the candidate can interview (given by them or entered by the recruiter)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="availability"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("candidate availability")
        verbose_name_plural = _("candidate availability")

    def __str__(self) -> str:
        return f"{self.application} free {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"


class CandidateTimeZone(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="time_zone"
    )
    time_zone = models.CharField(
        _("candidate's time zone"), max_length=64, validators=[validate_time_zone]
    )

    class Meta:
        verbose_name = _("candidate's time zone")
        verbose_name_plural = _("candidates' time zones")

    def __str__(self) -> str:
        return self.time_zone


class SessionStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")


def restrict_booked(
    collector: Collector, field: models.Field[Any, Any], sub_objs: models.QuerySet[Any], using: str
) -> None:
    """A booked session (or its seat assignment) keeps its loop session and seat from being
    deleted by a re-plan: Django refuses with a RestrictedError unless the booking itself goes
    in the same delete (a deleted application or position). Cancelled ones go with it."""
    status = "status" if sub_objs.model is ScheduledSession else "scheduled_session__status"
    booked = models.Q(**{status: SessionStatus.BOOKED})
    if sub_objs.filter(booked).exists():
        models.RESTRICT(collector, field, sub_objs.filter(booked), using)
    if sub_objs.exclude(booked).exists():
        models.CASCADE(collector, field, sub_objs.exclude(booked), using)


class ScheduledSession(models.Model):
    """One session of one finalist's loop at a time, with its people (as Interview rows)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scheduled_sessions"
    )
    session = models.ForeignKey(
        LoopSession, on_delete=restrict_booked, related_name="scheduled_sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions"
    )
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=SessionStatus.choices, default=SessionStatus.BOOKED
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    override_reason = models.TextField(_("reason for breaking a rule"), blank=True)
    override_clashes = models.JSONField(default=list, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    interviews = models.ManyToManyField(Interview, blank=True, related_name="scheduled_sessions")

    class Meta:
        ordering = ["starts_at", "session__order"]
        verbose_name = _("scheduled session")
        verbose_name_plural = _("scheduled sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "session"],
                condition=models.Q(status="booked"),
                name="one_booked_session_per_application",
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.session} for {self.application} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class SeatAssignment(models.Model):
    """Who sits which of the loop's seats in one scheduled session (a replacement keeps the seat,
    so its competencies stay covered); `interview` is that person's hiring.Interview row."""

    scheduled_session = models.ForeignKey(
        ScheduledSession, on_delete=models.CASCADE, related_name="assignments"
    )
    seat = models.ForeignKey(Seat, on_delete=restrict_booked, related_name="assignments")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="seat_assignments"
    )
    interview = models.OneToOneField(
        Interview, on_delete=models.CASCADE, related_name="seat_assignment"
    )

    class Meta:
        ordering = ["seat__id"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheduled_session", "seat"], name="one_person_per_seat_assignment"
            )
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} in {self.seat}"
