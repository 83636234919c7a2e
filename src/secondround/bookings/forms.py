from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from secondround.accounts.models import User
from secondround.bookings.services import DECLINE_REASON_MAX
from secondround.ids import MAX_ID, IdChoiceField
from secondround.scheduling.models import validate_time_zone


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not make it?"),
        max_length=DECLINE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PickForm(forms.Form):
    offer = forms.IntegerField(min_value=1, max_value=MAX_ID)
    option = forms.IntegerField(min_value=0, max_value=50)


class TimeZoneForm(forms.Form):
    time_zone = forms.CharField(label=_("Your time zone"), max_length=64)

    def clean_time_zone(self) -> str:
        name: str = self.cleaned_data["time_zone"].strip()
        try:
            validate_time_zone(name)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return name


HALF_DAYS = {"am": (time(9), time(12, 30)), "pm": (time(13), time(17, 30))}
HALF_DAY_NAMES = {"am": _("morning (9:00–12:30)"), "pm": _("afternoon (13:00–17:30)")}
GRID_DAYS = 14


def grid_days(zone: str, now: datetime, notice_hours: int = 0) -> list[date]:
    """The working days of the grid's window: tomorrow to two weeks on, in ``zone``, less the
    days whose afternoon already starts inside the minimum notice (nothing there could be
    booked, so the grid does not offer it)."""
    tz = ZoneInfo(zone)
    today = now.astimezone(tz).date()
    not_before = now + timedelta(hours=notice_hours)
    days = [today + timedelta(days=n) for n in range(1, GRID_DAYS + 1)]
    return [
        d for d in days if d.weekday() < 5 and _span(f"{d.isoformat()}:pm", tz)[0] >= not_before
    ]


def posted_grid_days(shown_zone: str, posted_zone: str, now: datetime) -> list[date]:
    """The days a posted grid may name: those it was shown with and those of the zone posted.

    A candidate may change the zone before saving; near midnight the two zones' windows
    start on different dates, and a day they were shown must not be refused as unknown.
    """
    return sorted(set(grid_days(shown_zone, now)) | set(grid_days(posted_zone, now)))


class WeekGridForm(TimeZoneForm):
    """Half-days the candidate can interview, in their own zone, over the next two weeks.

    Each ticked box is "YYYY-MM-DD:am" or "YYYY-MM-DD:pm"; the choices are the working days
    of the window, so anything else is refused by the field.
    """

    slots = forms.MultipleChoiceField(
        label=_("When can you interview?"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(
        self, *args: Any, days: list[date], now: datetime, notice_hours: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.days = days
        self.now = now
        self.notice_hours = notice_hours
        slots = self.fields["slots"]
        assert isinstance(slots, forms.MultipleChoiceField)
        self.values = [f"{d.isoformat()}:{half}" for d in days for half in HALF_DAYS]
        slots.choices = [(value, _slot_name(value)) for value in self.values]

    def rows(self) -> list[tuple[str, Any, Any]]:
        """(day, morning box, afternoon box) for the grid in the template."""
        boxes = list(self["slots"].subwidgets)
        return [
            (date_format(day, "l j M"), boxes[2 * n], boxes[2 * n + 1])
            for n, day in enumerate(self.days)
        ]

    def closed_slots(self) -> set[str]:
        """The grid's half-days that start inside the minimum notice in the zone shown: the
        grid greys them out rather than let the candidate tick one only to be refused."""
        name = str(self["time_zone"].value() or "").strip()
        try:
            validate_time_zone(name)
        except ValidationError:
            return set()
        zone = ZoneInfo(name)
        not_before = self.now + timedelta(hours=self.notice_hours)
        return {value for value in self.values if _span(value, zone)[0] < not_before}

    def clean_slots(self) -> list[str]:
        """Refuse, by name, a half-day that has already begun in the zone given, or that
        starts inside the minimum notice (it would be kept, yet no option could use it)."""
        slots: list[str] = self.cleaned_data["slots"]
        zone_name = self.cleaned_data.get("time_zone")
        if zone_name is None:  # the zone's own error is shown; nothing to check against
            return slots
        zone = ZoneInfo(zone_name)
        not_before = self.now + timedelta(hours=self.notice_hours)
        begun = [value for value in slots if _span(value, zone)[0] <= self.now]
        too_soon = [v for v in slots if v not in begun and _span(v, zone)[0] < not_before]
        errors = []
        if begun:
            errors.append(
                ValidationError(
                    _("Already begun in %(zone)s: %(slots)s. Choose later half-days."),
                    params={"slots": _names(begun), "zone": zone_name},
                )
            )
        if too_soon:
            errors.append(
                ValidationError(
                    _(
                        "Too soon for us to arrange (we need %(hours)s hours' notice): "
                        "%(slots)s. Choose later half-days."
                    ),
                    params={"slots": _names(too_soon), "hours": self.notice_hours},
                )
            )
        if errors:
            raise ValidationError(errors)
        return slots

    def spans(self) -> list[tuple[datetime, datetime]]:
        zone = ZoneInfo(self.cleaned_data["time_zone"])
        return [_span(value, zone) for value in self.cleaned_data["slots"]]


def _span(value: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A grid value "YYYY-MM-DD:am" as the half-day's start and end in ``zone``."""
    day, half = value.split(":")
    start, end = HALF_DAYS[half]
    on = date.fromisoformat(day)
    return datetime.combine(on, start, zone), datetime.combine(on, end, zone)


def _names(values: list[str]) -> str:
    return ", ".join(_slot_name(value) for value in values)


def _slot_name(value: str) -> str:
    day, half = value.split(":")
    return f"{date_format(date.fromisoformat(day), 'D j M')} · {HALF_DAY_NAMES[half]}"


class ReplacementForm(forms.Form):
    person = IdChoiceField(queryset=User.objects.filter(is_active=True))
    starts_at = forms.DateTimeField(required=False)
