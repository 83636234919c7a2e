"""Forms for availability, rooms, the policy and the board's edits."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from secondround.ids import IdChoiceField
from secondround.limits import REASONS_MAX
from secondround.scheduling.models import (
    MIN_NOTICE_HOURS_MAX,
    OPTION_COUNT_MAX,
    OPTION_EXPIRY_HOURS,
    ConnectionKind,
    PersonAvailability,
    Room,
    SchedulingPolicy,
    validate_time_zone,
)
from secondround.scheduling.services import parse_spans

WEEKDAYS = [
    _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"),
    _("Sunday"),
]  # fmt: skip
LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
HOURS_HELP = _("For example 09:00-12:00, 13:00-17:00; empty for a day off.")


def aware(value: datetime, zone: str) -> datetime:
    """A datetime-local value read in the given zone (the browser sends none)."""
    return value.replace(tzinfo=None).replace(tzinfo=ZoneInfo(zone))


class TimeZoneField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=64, validators=[validate_time_zone], **kwargs)


class AvailabilityForm(forms.Form):
    time_zone = TimeZoneField(label=_("Time zone"), help_text=_("For example Europe/Berlin."))
    max_per_day = forms.IntegerField(
        label=_("My interviews per day at most"), required=False, min_value=0, max_value=50
    )
    max_per_week = forms.IntegerField(
        label=_("My interviews per week at most"), required=False, min_value=0, max_value=100
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, name in enumerate(WEEKDAYS):
            self.fields[f"day_{day}"] = forms.CharField(
                label=name, required=False, max_length=200,
                help_text=HOURS_HELP if day == 0 else "",
            )  # fmt: skip

    @classmethod
    def initial_for(cls, availability: PersonAvailability) -> dict[str, Any]:
        hours = availability.working_hours if isinstance(availability.working_hours, dict) else {}
        initial: dict[str, Any] = {
            "time_zone": availability.time_zone,
            "max_per_day": availability.max_per_day,
            "max_per_week": availability.max_per_week,
        }
        for day in range(7):
            spans = hours.get(str(day), [])
            initial[f"day_{day}"] = ", ".join(f"{a}-{b}" for a, b in spans)
        return initial

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        hours = {}
        for day in range(7):
            try:
                spans = parse_spans(data.get(f"day_{day}") or "")
            except ValueError:
                self.add_error(
                    f"day_{day}", _("Write times as 09:00-17:00, the end after the start.")
                )
                continue
            if spans:
                hours[str(day)] = spans
        data["working_hours"] = hours
        return data


class BusyBlockForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Busy from"), widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("until"), widget=LOCAL)
    note = forms.CharField(label=_("Note (only you see it)"), required=False, max_length=200)


class CalendarForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ConnectionKind.choices)
    url = forms.CharField(
        label=_("Address"),
        max_length=1000,
        help_text=_("The secret iCal (.ics) address, or the CalDAV server's address."),
    )
    username = forms.CharField(label=_("User name (CalDAV)"), required=False, max_length=200)
    secret = forms.CharField(
        label=_("App password (CalDAV)"),
        required=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Kept for the server, never shown again; leave empty to keep the saved one."),
    )


class RoomForm(forms.ModelForm[Room]):
    class Meta:
        model = Room
        fields = ["name", "capacity", "location", "active"]


class PolicyForm(forms.ModelForm[SchedulingPolicy]):
    class Meta:
        model = SchedulingPolicy
        fields = [
            "time_zone", "max_per_day", "max_per_week", "buffer_minutes", "loop_days",
            "max_continuous_minutes", "break_minutes", "min_notice_hours", "video_link_pattern",
            "candidate_reschedule_limit", "option_count", "option_expiry_hours",
        ]  # fmt: skip
        widgets = {  # the browser's hint; the model's clean() is the rule
            "option_count": forms.NumberInput(attrs={"min": 1, "max": OPTION_COUNT_MAX}),
            "option_expiry_hours": forms.NumberInput(
                attrs={"min": OPTION_EXPIRY_HOURS[0], "max": OPTION_EXPIRY_HOURS[1]}
            ),
            "min_notice_hours": forms.NumberInput(attrs={"min": 0, "max": MIN_NOTICE_HOURS_MAX}),
        }


class ScheduleForm(forms.Form):
    week = forms.DateField(label=_("Week of"), widget=forms.DateInput(attrs={"type": "date"}))
    in_person = forms.BooleanField(label=_("In person (book rooms)"), required=False)
    dry_run = forms.BooleanField(label=_("Only show the plan"), required=False)


class OverrideMixin(forms.Form):
    override_reason = forms.CharField(
        label=_("Reason to break a rule (kept and shown)"),
        required=False,
        max_length=REASONS_MAX,
        widget=forms.TextInput,
    )


class MoveForm(OverrideMixin):
    starts_at = forms.DateTimeField(label=_("New start"), widget=LOCAL)
    field_order = ["starts_at", "override_reason"]


class PlaceForm(OverrideMixin):
    room = IdChoiceField(label=_("Room"), queryset=Room.objects.none(), required=False)
    video_link = forms.URLField(label=_("Video link"), required=False, max_length=500)
    field_order = ["room", "video_link", "override_reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Room.objects.filter(active=True)  # type: ignore[attr-defined]


class CandidateAvailabilityForm(forms.Form):
    time_zone = TimeZoneField(label=_("Candidate's time zone"))
    spans = forms.CharField(
        label=_("When they can interview (their time)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line per day: 2026-12-01 09:00-12:00, 14:00-17:00"),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        zone = data.get("time_zone")
        if not zone:
            return data
        spans = []
        for line in (data.get("spans") or "").splitlines():
            if not line.strip():
                continue
            day_text, _sep, rest = line.strip().partition(" ")
            try:
                day = date.fromisoformat(day_text)
                for a, b in parse_spans(rest):
                    spans.append(
                        (aware(datetime.combine(day, time.fromisoformat(a)), zone),
                         aware(datetime.combine(day, time.fromisoformat(b)), zone))
                    )  # fmt: skip
            except ValueError:
                raise ValidationError(
                    {"spans": _("Could not read “%(line)s”.") % {"line": line.strip()[:80]}}
                ) from None
        data["parsed_spans"] = spans
        return data
