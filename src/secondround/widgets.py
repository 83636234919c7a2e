"""Form widgets that write Django's own HTML in Python, for the fields on the busiest pages.

Django renders every widget through templates (a select: two includes per option; an input:
three templates, one loop per attribute). On the candidate's page the time-zone list (about
420 options) was a third of the page's CPU, and the debrief's weight inputs a seventh of
its. These widgets give the same bytes (tests/test_widgets.py compares them with Django's)
for a fraction of the cost. Plain Django: any app may use them.
"""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.utils.safestring import SafeString, mark_safe


def _escape(value: Any) -> str:
    """Django's conditional_escape for one value, at a fraction of the cost (it runs per option)."""
    return str(value.__html__()) if hasattr(value, "__html__") else html.escape(str(value))


def render_attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, bare for True, left out for False."""
    return "".join(
        f" {name}" if value is True else f' {name}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """A single select, as django/forms/widgets/select.html and select_option.html write it."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        wanted = set(self.format_value(value))
        select_attrs = render_attrs(self.build_attrs(self.attrs, attrs))
        parts = [f'<select name="{_escape(name)}"{select_attrs}>']
        has_selected = False
        for group_value, group_label in self.choices:
            grouped = isinstance(group_label, (list, tuple))
            if grouped:
                parts.append(f'\n  <optgroup label="{_escape(group_value)}">')
            options = group_label if grouped else [(group_value, group_label)]
            for option_value, label in options:
                option_value = "" if option_value is None and not grouped else option_value
                # Like Django's optgroups(): only the first matching option is selected.
                selected = not has_selected and str(option_value) in wanted
                has_selected |= selected
                parts.append(
                    f'\n  <option value="{_escape(option_value)}"'
                    f"{' selected' if selected else ''}>{_escape(label)}</option>\n"
                )  # Django's option template ends in a newline
            if grouped:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # every value above is escaped


class PlainNumberInput(forms.NumberInput):
    """A number input, as django/forms/widgets/input.html writes it."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        shown = self.format_value(value)
        value_attr = "" if shown is None else f' value="{_escape(shown)}"'
        rest = render_attrs(self.build_attrs(self.attrs, attrs))
        return mark_safe(
            f'<input type="{self.input_type}" name="{_escape(name)}"{value_attr}{rest}>'
        )
