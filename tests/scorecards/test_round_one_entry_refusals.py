"""Staff finding r9 #4: a refused round-one hand entry answered 200, and its rater picker
offered a colleague who applied to the position. Refused input answers 400 with the field's
error; the picker leaves the position's applicants out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring import services
from secondround.hiring.models import Position
from secondround.scorecards.models import Scorecard
from tests.conftest import client_for
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_the_picker_leaves_out_a_colleague_who_applied_and_a_refusal_is_a_400(
    position: Position, outsider: User
) -> None:
    manager = position.hiring_manager
    services.add_candidate_to_position(
        actor=manager, position=position,
        fields={"full_name": outsider.full_name, "email": outsider.email.upper()},
    )  # fmt: skip
    application = make_application(position, name="Ada Rival")
    competency = position.competencies.first()
    assert competency is not None
    client = client_for(manager)
    url = reverse("round-one-entry", args=[application.pk])
    page = client.get(url).content.decode()
    assert f">{outsider.full_name}</option>" not in page
    assert f">{manager.full_name}</option>" in page
    rating = {f"c{competency.pk}-rating": "3"}
    refused = client.post(url, {"interviewer": outsider.pk, **rating})
    assert refused.status_code == 400
    assert "has not applied for this position" in refused.content.decode()
    missing = client.post(url, rating)
    assert missing.status_code == 400 and "This field is required" in missing.content.decode()
    assert not Scorecard.objects.exists()
    saved = client.post(url, {"interviewer": manager.pk, **rating})
    assert saved.status_code == 302 and Scorecard.objects.count() == 1
