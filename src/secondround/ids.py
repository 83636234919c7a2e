"""Ids from outside (forms, the API, query strings) are bounded integers before any query.

Every primary key is a 64-bit integer. A larger number sent by a client must be refused as
a bad value of that field (a 4xx naming it), not handed to the database, which overflows
(SQLite raises OverflowError, PostgreSQL a DataError) and would answer 500. One rule,
used by the forms' model-choice fields and the API's `Id` type alike.
"""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from pydantic import Field

MAX_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID, description="An id: a whole number from 1 to 2⁶³−1.")]
"""The API's type for every id, in paths, query strings and bodies."""


def is_valid_id(value: Any) -> bool:
    """True for a whole number (or its decimal text) in the range of a primary key."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not text.isdigit():
            return False
        value = int(text)
    return isinstance(value, int) and 1 <= value <= MAX_ID


class IdChoiceField(forms.ModelChoiceField[Any]):
    """A model choice whose posted id is checked for range before the database sees it."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if self.to_field_name is None and not is_valid_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField[Any]):
    """Several model choices; an id out of range is an invalid choice, not a query."""

    def clean(self, value: Any) -> Any:
        if self.to_field_name is None and isinstance(value, list | tuple):
            for pk in value:
                if not is_valid_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super().clean(value)
