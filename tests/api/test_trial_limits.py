"""API findings from a new-user trial: a position's texts have a length limit (422 naming the
field, a field error on the page), and a scorecard `version` that is no version at all is a
422 naming it (it was a 409, as if someone else had saved in between)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.hiring import services as hiring
from secondround.hiring.models import Position
from secondround.limits import POSITION_TEXT_MAX
from secondround.loops.models import Seat
from secondround.scorecards.models import Scorecard
from secondround.scorecards.services import ScorecardInput, save_draft, scorecard_version
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.hiring.test_position_edit_conflicts import edit_form
from tests.scorecards.test_concurrent_drafts import draft

__all__ = ["draft"]

pytestmark = pytest.mark.django_db

TEXTS = ["summary", "responsibilities", "expectations"]


@pytest.mark.parametrize("field", TEXTS)
def test_the_api_refuses_a_position_text_over_the_limit_with_422_naming_it(
    position: Position, field: str
) -> None:
    before = getattr(position, field)
    api = Api(position.hiring_manager)
    refused = api.patch(f"/positions/{position.pk}", {field: "x" * (POSITION_TEXT_MAX + 1)})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", field]
    position.refresh_from_db()
    assert getattr(position, field) == before
    at_limit = api.patch(f"/positions/{position.pk}", {field: "y" * POSITION_TEXT_MAX})
    assert at_limit.status_code == 200
    position.refresh_from_db()
    assert getattr(position, field) == "y" * POSITION_TEXT_MAX


@pytest.mark.parametrize("field", TEXTS)
def test_the_page_refuses_a_position_text_over_the_limit_on_its_field(
    position: Position, field: str
) -> None:
    before = getattr(position, field)
    client = client_for(position.hiring_manager)
    url = reverse("position-edit", args=[position.pk])
    opened = client.get(url)
    assert f'maxlength="{POSITION_TEXT_MAX}"' in opened.content.decode()
    refused = client.post(
        url,
        edit_form(position, opened.context["revision"], **{field: "x" * (POSITION_TEXT_MAX + 1)}),
    )
    assert refused.status_code == 400
    assert refused.context["form"].errors[field]
    position.refresh_from_db()
    assert getattr(position, field) == before


def test_the_service_refuses_a_position_text_over_the_limit(position: Position) -> None:
    with pytest.raises(ValidationError) as refused:
        hiring.update_position(
            actor=position.hiring_manager, position=position,
            fields={"summary": "x" * (POSITION_TEXT_MAX + 1)},
        )  # fmt: skip
    assert "summary" in refused.value.message_dict
    assert len(Position.objects.get(pk=position.pk).summary) <= POSITION_TEXT_MAX


@pytest.mark.parametrize("junk", ["junk", "12345", "../../etc", "ABCDEF0123456789", " " * 16])
def test_a_malformed_scorecard_version_is_422_naming_it(
    draft: tuple[Seat, object, Scorecard], junk: str
) -> None:
    seat, finalist, card = draft
    before = scorecard_version(card)
    api = Api(card.interviewer)
    refused = api.post(
        f"/seats/{seat.pk}/scorecards/{finalist.pk}",  # type: ignore[attr-defined]
        {"takeaways": "From a script", "version": junk},
    )
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "version"]
    assert scorecard_version(Scorecard.objects.get(pk=card.pk)) == before


def test_the_service_refuses_a_malformed_version_as_no_version(
    draft: tuple[Seat, object, Scorecard],
) -> None:
    _seat, _finalist, card = draft
    with pytest.raises(ValidationError) as refused:
        save_draft(
            actor=card.interviewer, scorecard=card, version="not-a-version",
            data=ScorecardInput(ratings={}, resolutions={}, overall={"takeaways": "x"}),
        )  # fmt: skip
    assert refused.value.error_dict["version"][0].code == "invalid"
