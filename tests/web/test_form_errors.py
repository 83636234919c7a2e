"""A service's error on a field the form lacks is shown form-wide, never a 500; nothing changes.

Issue #10, items 7, 12 and 13: each case used to crash in `form.add_error` or fail silently.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from secondround.debrief.models import Decision
from secondround.hiring.models import CompanyValue, Position, Stage
from secondround.loops.models import Seat
from secondround.prep.models import InviteLink, PrepKit
from secondround.scorecards.models import Scorecard, ScorecardStatus
from secondround.scorecards.services import open_round_two_scorecard
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import make_application, soon
from tests.prep.test_posting import BACKEND_POSTING

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineering() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def submitted_card() -> Scorecard:
    card = Scorecard.objects.filter(
        round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    ).first()
    assert card is not None
    return card


def draft_card(position: Position) -> Scorecard:
    submitted = Scorecard.objects.filter(
        round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    )
    seat = next(
        seat
        for seat in Seat.objects.filter(session__plan__position=position).exclude(
            session__competency_kinds=[]
        )
        if not submitted.filter(interviewer=seat.interviewer).exists()
    )
    finalist = position.applications.get(candidate__full_name="Jordan Ellis")
    return open_round_two_scorecard(actor=seat.interviewer, seat=seat, application=finalist)


def card_post(card: Scorecard, action: str, **extra: str) -> dict[str, str]:
    """The scorecard as the page would post it: every rating filled in, with evidence."""
    data = {"action": action, "recommendation": "yes", "confidence": "4", **extra}
    for rating in card.ratings.all():
        data[f"rating_{rating.competency_id}"] = "2"
        data[f"notes_{rating.competency_id}"] = "Walked through the rollback plan."
    return data


def snapshot(card: Scorecard) -> list[tuple[int | None, str]]:
    return [(r.rating, r.notes) for r in card.ratings.order_by("pk")]


def assert_form_error(response, text: str) -> None:  # type: ignore[no-untyped-def]
    # Every refused form answers 400 (web.helpers.form_status), htmx panels included
    assert response.status_code == 400, response.status_code
    body = response.content.decode()
    assert text in body and 'role="alert"' in body


def test_submitting_an_already_submitted_scorecard(engineering: Position) -> None:
    card = submitted_card()
    before = snapshot(card)
    response = client_for(card.interviewer).post(
        reverse("scorecard", args=[card.pk]), card_post(card, "submit")
    )
    assert_form_error(response, "already submitted")
    assert snapshot(card) == before


def test_amending_without_a_reason(engineering: Position) -> None:
    card = submitted_card()
    before = snapshot(card)
    response = client_for(card.interviewer).post(
        reverse("scorecard", args=[card.pk]), card_post(card, "amend", reason="  ")
    )
    assert_form_error(response, "Say why you are changing a submitted scorecard.")
    assert snapshot(card) == before and not card.revisions.exists()


def test_amending_a_draft(engineering: Position) -> None:
    card = draft_card(engineering)
    response = client_for(card.interviewer).post(
        reverse("scorecard", args=[card.pk]), card_post(card, "amend", reason="Typo.")
    )
    assert_form_error(response, "Only a submitted scorecard is amended.")
    card.refresh_from_db()
    assert card.status == ScorecardStatus.DRAFT and not card.revisions.exists()


def test_a_hire_decision_for_an_application_still_at_applied(engineering: Position) -> None:
    applied = make_application(engineering, name="Ari Applied")
    assert applied.stage == Stage.APPLIED
    competency = engineering.competencies.first()
    assert competency is not None
    response = client_for(engineering.hiring_manager).post(
        reverse("decision", args=[engineering.pk, applied.pk]),
        {
            "decision": "hire",
            "competencies": [str(competency.pk)],
            "reasons": "Strong debugging.",
            "next_step": "Offer call",
            "next_step_date": soon().isoformat(),
        },
    )
    assert response.status_code == 400  # the decision page answers a refused form with 400
    assert 'role="alert"' in response.content.decode()
    applied.refresh_from_db()
    assert applied.stage == Stage.APPLIED
    assert not Decision.objects.filter(application=applied).exists()


def test_a_preparation_link_for_a_non_finalist(engineering: Position) -> None:
    applied = make_application(engineering, name="Ari Applied")
    response = client_for(engineering.hiring_manager).post(
        reverse("prep-links", args=[applied.pk]), {"days": "7"}
    )
    assert_form_error(response, "Preparation links are for finalists")
    assert not InviteLink.objects.filter(application=applied).exists()


def test_two_company_values_with_the_same_name(engineering: Position) -> None:
    before = list(CompanyValue.objects.values_list("name", flat=True))
    admin = engineering.hiring_manager
    response = client_for(admin).post(
        reverse("company"),
        {
            "name": "Kestrel Health",
            "mission": "Care that reaches people.",
            "v-TOTAL_FORMS": "2",
            "v-INITIAL_FORMS": "0",
            "v-0-name": "Candour",
            "v-0-behaviours": "Says it plainly.",
            "v-1-name": "Candour",
            "v-1-behaviours": "Says it again.",
        },
    )
    assert_form_error(response, "Two values have the same name.")
    assert list(CompanyValue.objects.values_list("name", flat=True)) == before


@pytest.fixture
def seeker_kit(db: None) -> tuple[Client, PrepKit]:
    """A job seeker's kit from a pasted posting, opened anonymously in one browser."""
    seeker = Client()
    response = seeker.post(
        reverse("prep-home"),
        {"company_name": "Lumen Pay", "posting_text": BACKEND_POSTING, "company_text": ""},
    )
    assert response.status_code == 302
    return seeker, PrepKit.objects.get()


def test_a_practice_answer_without_a_question(seeker_kit: tuple[Client, PrepKit]) -> None:
    seeker, kit = seeker_kit
    response = seeker.post(
        reverse("prep-practice", args=[kit.public_id]),
        {"answer": "I reproduced the bug and fixed the index."},
    )
    assert_form_error(response, "Choose a question or type your own.")
    assert not kit.attempts.exists()


def test_asking_with_an_unknown_topic_says_so(seeker_kit: tuple[Client, PrepKit]) -> None:
    seeker, kit = seeker_kit
    response = seeker.post(
        reverse("prep-ask", args=[kit.public_id]),
        {"text": "What does on-call look like?", "topic": "no_such_topic"},
    )
    assert_form_error(response, "Unknown topic")
    assert not kit.my_questions.exists()


def test_autosave_of_a_stale_tab_says_the_edits_were_not_saved(engineering: Position) -> None:
    card = submitted_card()
    response = client_for(card.interviewer).post(
        reverse("scorecard", args=[card.pk]),
        card_post(card, "draft"),
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    # The refusal keeps its 409 and carries the explanation the page swaps in.
    assert response.status_code == 409
    assert "not saved" in body and "Submitted: changes now need a reason." in body
    assert 'role="alert"' in body


def _state_cells(body: str) -> list[str]:
    """The last cell of each body row of the page's table, as text."""
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)
    return [
        re.sub(r"<[^>]+>|\s+", " ", re.findall(r"<td.*?</td>", r, re.S)[-1]).strip() for r in rows
    ]


def test_the_state_column_says_active_for_tokens_and_links(engineering: Position) -> None:
    manager = engineering.hiring_manager
    client = client_for(manager)
    client.post(reverse("api-tokens"), {"name": "laptop script"})
    assert _state_cells(client.get(reverse("api-tokens")).content.decode())[0].startswith("Active")
    finalist = engineering.applications.get(candidate__full_name="Jordan Ellis")
    client.post(reverse("prep-links", args=[finalist.pk]), {"days": "7"})
    states = _state_cells(client.get(reverse("prep-links", args=[finalist.pk])).content.decode())
    assert states and all(s.split()[0] in {"Active", "Revoked", "Expired"} for s in states)
