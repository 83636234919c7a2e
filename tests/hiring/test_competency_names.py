"""One position's competency names differ by more than case ("Python" and "python" are one
competency): the service refuses the second, so the page, the API and the debrief agree."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.hiring import services
from secondround.hiring.models import Competency, Position
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.factories import make_position

pytestmark = pytest.mark.django_db

ANCHORS = {f"anchor_{point}": f"Level {point}" for point in range(1, 6)}


def _fields(name: str) -> dict[str, Any]:
    return {"name": name, "kind": "technical", "weight": 2, **ANCHORS}


def _add(position: Position, name: str) -> Competency:
    return services.save_competency(
        actor=position.hiring_manager, position=position, fields=_fields(name)
    )


def test_a_name_differing_only_in_case_is_refused_on_its_field(position: Position) -> None:
    _add(position, "Python")
    before = position.competencies.count()
    for name in ("python", "PYTHON", "  pYthon "):
        with pytest.raises(ValidationError) as refused:
            _add(position, name)
        assert "already has a competency named “Python”" in refused.value.message_dict["name"][0]
    assert position.competencies.count() == before


def test_renaming_into_another_name_is_refused_but_recasing_its_own_is_not(
    position: Position,
) -> None:
    python = _add(position, "Python")
    go = _add(position, "Go")
    with pytest.raises(ValidationError) as refused:
        services.save_competency(
            actor=position.hiring_manager, position=position, competency=go,
            fields={"name": "PYTHON"},
        )  # fmt: skip
    assert "name" in refused.value.message_dict
    assert Competency.objects.get(pk=go.pk).name == "Go"
    services.save_competency(
        actor=position.hiring_manager, position=position, competency=python,
        fields={"name": "python"},
    )  # fmt: skip
    assert Competency.objects.get(pk=python.pk).name == "python"


def test_another_position_may_use_the_name(position: Position) -> None:
    _add(position, "Python")
    other = make_position(position.hiring_manager)
    assert _add(other, "python").name == "python"


def test_stored_pairs_from_before_still_take_other_changes(position: Position) -> None:
    """Pairs stored before the rule are not locked: changing a weight does not name them."""
    first = _add(position, "Python")
    Competency.objects.create(
        position=position, name="python", kind="technical", order=99, **ANCHORS
    )
    saved = services.save_competency(
        actor=position.hiring_manager, position=position, competency=first, fields={"weight": 4}
    )
    assert Competency.objects.get(pk=saved.pk).weight == 4


def test_the_page_answers_400_with_the_error_on_the_name(position: Position) -> None:
    _add(position, "Python")
    before = position.competencies.count()
    response = client_for(position.hiring_manager).post(
        reverse("competency-new", args=[position.pk]), _fields("python")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["name"]
    assert position.competencies.count() == before


def test_the_api_answers_422_naming_the_name(position: Position) -> None:
    _add(position, "Python")
    before = position.competencies.count()
    response = Api(position.hiring_manager).post(
        f"/positions/{position.pk}/competencies",
        {"name": "python", "kind": "technical", "anchors": list("12345")},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    assert position.competencies.count() == before
