"""The portal's PlainSelect writes exactly the HTML Django's Select would, for less CPU."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms

from secondround.portal.forms import PlainSelect, PreferencesForm

CHOICES: list[Any] = [
    ("", "Pick one"),
    ("Europe/Berlin", "Europe/Berlin"),
    ('a"<b>&c', "Tom & <Jerry> \"quoted\" 'single'"),
    (3, 3),
    ("Group <1>", [("x", "X & y"), ("y", "Y")]),
]


@pytest.mark.parametrize("value", [None, "", "Europe/Berlin", 'a"<b>&c', "3", "x", "missing"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_zone", "required": True, "disabled": False, "data-x": '"<&>'}]
)
def test_the_html_is_djangos_to_the_byte(value: str | None, attrs: dict[str, Any] | None) -> None:
    django_select = forms.Select(choices=CHOICES, attrs={"class": "wide"})
    plain = PlainSelect(choices=CHOICES, attrs={"class": "wide"})
    expected = django_select.render("zone", value, attrs=attrs)
    assert plain.render("zone", value, attrs=attrs) == expected
    assert "&lt;Jerry&gt;" in expected  # escaping is part of what is compared


def test_the_time_zone_field_renders_as_before() -> None:
    form = PreferencesForm(initial={"language": "en", "time_zone": "America/New_York"})
    field = form["time_zone"]
    assert isinstance(field.field.widget, PlainSelect)
    django_widget = forms.Select(choices=field.field.choices)
    django_widget.is_required = field.field.widget.is_required
    expected = field.as_widget(widget=django_widget)
    assert str(field) == expected
    assert '<option value="America/New_York" selected>America/New York</option>' in expected
    assert expected.count("<option") > 300
