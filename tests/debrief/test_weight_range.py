"""A competency's weight: the inputs say the range the server takes, and a value outside it
answers 400 naming the competency.

Saved weights are 1–5 (`Competency.weight`): the competency page's input says min 1, max 5
(it said min 0 and no maximum, yet 0 and 6 were refused). The debrief's "what if" takes 0–5
(0 leaves a competency out of the comparison for a moment) and says so in its inputs.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.debrief.services import save_weights
from secondround.hiring.models import Competency, Position
from tests.conftest import client_for
from tests.debrief.test_fixes import engineering, weights_of

__all__ = ["engineering"]

pytestmark = pytest.mark.django_db


def _input(page: str, name: str) -> str:
    found = re.search(rf'<input type="number" name="{name}"[^>]*>', page)
    assert found, name
    return found.group(0)


def _competency_fields(competency: Competency, weight: object) -> dict[str, object]:
    return {
        "name": competency.name, "kind": competency.kind, "weight": weight,
        "description": competency.description,
        **{f"anchor_{p}": getattr(competency, f"anchor_{p}") for p in range(1, 6)},
    }  # fmt: skip


def test_the_competency_page_says_1_to_5_and_refuses_the_rest(position: Position) -> None:
    competency = position.competencies.first()
    assert competency is not None
    before = competency.weight
    client = client_for(position.hiring_manager)
    url = reverse("competency-edit", args=[position.pk, competency.pk])
    weight = _input(client.get(url).content.decode(), "weight")
    assert 'min="1"' in weight and 'max="5"' in weight
    for bad in (0, 6, -1):
        refused = client.post(url, _competency_fields(competency, bad))
        assert refused.status_code == 400
        assert refused.context["form"].errors["weight"]
        assert Competency.objects.get(pk=competency.pk).weight == before
    assert client.post(url, _competency_fields(competency, 5)).status_code == 302
    assert Competency.objects.get(pk=competency.pk).weight == 5


def test_the_debrief_what_if_says_0_to_5_and_refuses_the_rest_naming_it(
    engineering: Position,
) -> None:
    client = client_for(engineering.hiring_manager)
    design = engineering.competencies.get(name="System design")
    page = client.get(reverse("debrief", args=[engineering.pk])).content.decode()
    weight = _input(page, f"w{design.pk}")
    assert 'min="0"' in weight and 'max="5"' in weight
    for bad in (-1, 6):
        refused = client.get(
            reverse("debrief", args=[engineering.pk]), weights_of(engineering, **{design.name: bad})
        )
        assert refused.status_code == 400
        errors = refused.content.decode().split('id="weight-errors"')[1].split("</div>")[0]
        assert "System design: a weight is a whole number from 0 to 5." in errors


def test_the_service_refuses_a_saved_weight_outside_1_to_5_naming_the_competency(
    position: Position,
) -> None:
    competency = position.competencies.first()
    assert competency is not None
    before = competency.weight
    for bad in (0, 6):
        with pytest.raises(ValidationError) as refused:
            save_weights(
                actor=position.hiring_manager, position=position, weights={competency.pk: bad}
            )
        assert competency.name in refused.value.message_dict["weight"][0]
        assert "1 to 5" in refused.value.message_dict["weight"][0]
    assert Competency.objects.get(pk=competency.pk).weight == before
