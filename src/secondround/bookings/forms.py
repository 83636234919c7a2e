from datetime import date, datetime, time
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


class WeekGridForm(TimeZoneForm):
    """Half-days the candidate can interview, in their own zone, over the next two weeks.

    Each ticked box is "YYYY-MM-DD:am" or "YYYY-MM-DD:pm"; the choices are the working days
    of the window, so anything else is refused by the field.
    """

    slots = forms.MultipleChoiceField(
        label=_("When can you interview?"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args: Any, days: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.days = days
        slots = self.fields["slots"]
        assert isinstance(slots, forms.MultipleChoiceField)
        slots.choices = [
            (f"{d.isoformat()}:{half}", f"{date_format(d, 'D j M')} · {HALF_DAY_NAMES[half]}")
            for d in days
            for half in HALF_DAYS
        ]

    def rows(self) -> list[tuple[str, Any, Any]]:
        """(day, morning box, afternoon box) for the grid in the template."""
        boxes = list(self["slots"].subwidgets)
        return [
            (date_format(day, "l j M"), boxes[2 * n], boxes[2 * n + 1])
            for n, day in enumerate(self.days)
        ]

    def spans(self) -> list[tuple[datetime, datetime]]:
        zone = ZoneInfo(self.cleaned_data["time_zone"])
        spans = []
        for value in self.cleaned_data["slots"]:
            day, half = value.split(":")
            start, end = HALF_DAYS[half]
            on = date.fromisoformat(day)
            spans.append((datetime.combine(on, start, zone), datetime.combine(on, end, zone)))
        return spans


class ReplacementForm(forms.Form):
    person = IdChoiceField(queryset=User.objects.filter(is_active=True))
    starts_at = forms.DateTimeField(required=False)
