"""The plain widgets write exactly the HTML Django's own widgets would, for less CPU."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils.safestring import mark_safe

from secondround.portal.forms import PreferencesForm
from secondround.widgets import PlainNumberInput, PlainSelect

CHOICES: list[Any] = [
    ("", "Pick one"),
    ("Europe/Berlin", "Europe/Berlin"),
    ('a"<b>&c', "Tom & <Jerry> \"quoted\" 'single'"),
    (3, 3),
    (mark_safe("<i>"), "safe value"),
    (None, mark_safe("<em>safe</em>")),
    ("Group <1>", [("x", "X & y"), ("y", "Y"), (None, "none")]),
]
ATTRS: list[dict[str, Any] | None] = [
    None,
    {"id": "id_zone", "required": True, "disabled": False, "data-x": '"<&>'},
    {"title": mark_safe("<b>")},  # a safe string stays as it is, as in Django
]


@pytest.mark.parametrize("value", [None, "", "Europe/Berlin", 'a"<b>&c', "3", "x", "missing"])
@pytest.mark.parametrize("attrs", ATTRS)
def test_the_select_is_djangos_to_the_byte(value: str | None, attrs: dict[str, Any] | None) -> None:
    django_select = forms.Select(choices=CHOICES, attrs={"class": "wide"})
    plain = PlainSelect(choices=CHOICES, attrs={"class": "wide"})
    expected = django_select.render("zone", value, attrs=attrs)
    assert plain.render("zone", value, attrs=attrs) == expected
    assert "&lt;Jerry&gt;" in expected  # escaping is part of what is compared


@pytest.mark.parametrize("value", [None, "", 0, 3, "4", '"<x>', mark_safe("<x>")])
@pytest.mark.parametrize("attrs", ATTRS)
def test_the_number_input_is_djangos_to_the_byte(value: Any, attrs: dict[str, Any] | None) -> None:
    expected = forms.NumberInput(attrs={"step": 1}).render("w1", value, attrs=attrs)
    assert PlainNumberInput(attrs={"step": 1}).render("w1", value, attrs=attrs) == expected


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


def test_an_integer_field_with_limits_renders_as_before() -> None:
    class Weights(forms.Form):
        plain = forms.IntegerField(label="A", min_value=0, max_value=5, widget=PlainNumberInput)
        django = forms.IntegerField(label="A", min_value=0, max_value=5)

    for form in (
        Weights(initial={"plain": 3, "django": 3}),
        Weights({"plain": "9", "django": "9"}),
    ):
        form.is_valid()
        plain = str(form["plain"]).replace('"plain"', '"X"').replace("id_plain", "id_X")
        django = str(form["django"]).replace('"django"', '"X"').replace("id_django", "id_X")
        assert plain == django and 'max="5"' in django
