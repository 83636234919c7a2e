"""Two tabs (or devices) editing one scorecard: each save carries the version it was loaded
at, and a save from a stale version is refused (409, asking to reload), nothing overwritten."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.hiring.models import Application, Position
from secondround.loops.models import Seat
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.scorecards.services import (
    ScorecardInput,
    StaleScorecard,
    amend_scorecard,
    open_round_two_scorecard,
    save_draft,
    scorecard_version,
    submit_scorecard,
)
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.scorecards.test_scorecards_and_debrief import jordan, pending_seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft() -> tuple[Seat, Application, Scorecard]:
    load_demo()
    position = Position.objects.get(title="Senior software engineer")
    seat = pending_seat(position)
    finalist = jordan(position)
    card = open_round_two_scorecard(actor=seat.interviewer, seat=seat, application=finalist)
    return seat, finalist, card


def notes(card: Scorecard, text: str) -> ScorecardInput:
    return ScorecardInput(
        ratings={r.competency_id: {"notes": text} for r in card.ratings.all()},
        resolutions={}, overall={},
    )  # fmt: skip


def stored_notes(card: Scorecard) -> set[str]:
    return set(card.ratings.values_list("notes", flat=True))


def page_version(body: str) -> str:
    found = re.search(r'<input type="hidden" name="version" value="([0-9a-f]+)"', body)
    assert found is not None, "the form carries its version"
    return found.group(1)


def test_a_save_from_a_stale_version_is_refused_and_overwrites_nothing(draft) -> None:  # type: ignore[no-untyped-def]
    _seat, _finalist, card = draft
    loaded = scorecard_version(card)
    save_draft(actor=card.interviewer, scorecard=card, data=notes(card, "Tab A"), version=loaded)
    assert scorecard_version(card) != loaded
    stale = Scorecard.objects.get(pk=card.pk)
    with pytest.raises(StaleScorecard) as refused:
        save_draft(actor=card.interviewer, scorecard=stale, data=notes(card, "Tab B"),
                   version=loaded)  # fmt: skip
    assert "version" in refused.value.message_dict
    assert "reload" in " ".join(refused.value.messages).lower()
    assert stored_notes(card) == {"Tab A"}


def test_submitting_and_amending_from_a_stale_version_are_refused(draft) -> None:  # type: ignore[no-untyped-def]
    _seat, _finalist, card = draft
    loaded = scorecard_version(card)
    save_draft(actor=card.interviewer, scorecard=card, data=notes(card, "Tab A"))
    complete = ScorecardInput(
        ratings={r.competency_id: {"rating": 3, "notes": "Tab B"} for r in card.ratings.all()},
        resolutions={}, overall={"recommendation": "yes", "confidence": 3},
    )  # fmt: skip
    with pytest.raises(StaleScorecard):
        submit_scorecard(actor=card.interviewer, scorecard=card, data=complete, version=loaded)
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT and stored_notes(card) == {"Tab A"}
    submit_scorecard(
        actor=card.interviewer, scorecard=card, data=complete, version=scorecard_version(card)
    )
    submitted = scorecard_version(card)
    amend_scorecard(actor=card.interviewer, scorecard=card, data=notes(card, "Fixed"),
                    reason="Typo", version=submitted)  # fmt: skip
    with pytest.raises(ValidationError):
        amend_scorecard(actor=card.interviewer, scorecard=card, data=notes(card, "Again"),
                        reason="Typo", version=submitted)  # fmt: skip
    assert stored_notes(card) == {"Fixed"} and card.revisions.count() == 1


def test_two_tabs_autosaving_the_page_the_stale_one_gets_409(draft) -> None:  # type: ignore[no-untyped-def]
    _seat, _finalist, card = draft
    client = client_for(card.interviewer)
    url = reverse("scorecard", args=[card.pk])
    tab_a = page_version(client.get(url).content.decode())
    tab_b = page_version(client.get(url).content.decode())
    competency = card.ratings.first().competency_id  # type: ignore[union-attr]

    def autosave(version: str, text: str):  # type: ignore[no-untyped-def]
        return client.post(
            url, {"action": "draft", "version": version, f"notes_{competency}": text},
            headers={"HX-Request": "true"},
        )  # fmt: skip

    first = autosave(tab_a, "Typed in tab A")
    assert first.status_code == 200 and "Draft saved" in first.content.decode()
    tab_a = page_version(first.content.decode())  # the answer carries the next version
    second = autosave(tab_a, "Typed in tab A, more")
    assert second.status_code == 200

    stale = autosave(tab_b, "Typed in tab B")
    body = stale.content.decode()
    assert stale.status_code == 409
    assert "not saved" in body and "another tab" in body and "Reload" in body
    assert page_version(body) == tab_b  # still stale: the next autosave is refused too
    assert card.ratings.get(competency_id=competency).notes == "Typed in tab A, more"

    submit = client.post(url, {"action": "submit", "version": tab_b})
    assert submit.status_code == 409
    assert "another tab" in submit.content.decode()
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT


def test_the_api_refuses_a_stale_version_with_409_naming_it(draft) -> None:  # type: ignore[no-untyped-def]
    seat, finalist, card = draft
    api = Api(card.interviewer)
    path = f"/seats/{seat.pk}/scorecards/{finalist.pk}"
    loaded = scorecard_version(card)
    first = api.post(path, {"takeaways": "From the script", "version": loaded})
    assert first.status_code == 200
    assert first.json()["version"] == scorecard_version(Scorecard.objects.get(pk=card.pk))
    assert first.json()["version"] != loaded
    stale = api.post(path, {"takeaways": "From a second script", "version": loaded})
    assert stale.status_code == 409
    assert stale.json()["detail"][0]["loc"] == ["body", "version"]
    assert Scorecard.objects.get(pk=card.pk).takeaways == "From the script"
    unversioned = api.post(path, {"takeaways": "No version sent"})
    assert unversioned.status_code == 200  # scripts that send none keep working
