"""The web pages save good input and reject bad input naming the field, changing nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Application, CompanyProfile, Position, Stage
from tests.conftest import client_for
from tests.factories import make_application

pytestmark = pytest.mark.django_db


def test_create_position_from_template(manager: User) -> None:
    response = client_for(manager).post(
        reverse("position-create"), {"template": "data-analyst", "title": "Analyst, growth"}
    )
    position = Position.objects.get(title="Analyst, growth")
    assert response.status_code == 302
    assert response["Location"] == reverse("position", args=[position.pk])
    assert position.hiring_manager == manager
    assert position.competencies.count() >= 7


def test_unknown_template_is_shown_on_the_template_field(manager: User) -> None:
    response = client_for(manager).post(reverse("position-create"), {"template": "astronaut"})
    assert response.status_code == 400
    assert "template" in response.context["form"].errors
    assert Position.objects.count() == 0


def test_add_candidate_with_bad_email_names_the_field(position: Position) -> None:
    client = client_for(position.hiring_manager)
    response = client.post(
        reverse("candidate-add", args=[position.pk]), {"full_name": "X", "email": "nope"}
    )
    assert response.status_code == 400
    assert "email" in response.context["form"].errors
    assert Application.objects.count() == 0


def test_move_without_reason_to_rejected_is_refused(position: Position) -> None:
    application = make_application(position)
    client = client_for(position.hiring_manager)
    response = client.post(
        reverse("application", args=[application.pk]), {"stage": "rejected", "reason": ""}
    )
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    application.refresh_from_db()
    assert application.stage == Stage.APPLIED


def test_move_through_htmx_swaps_stage_and_history_in_place(position: Position) -> None:
    application = make_application(position)
    client = client_for(position.hiring_manager)
    response = client.post(
        reverse("application", args=[application.pk]),
        {"stage": "first_round", "reason": "Good CV"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="stage-and-history">')
    assert "<html" not in body
    assert "moved to First round" in body
    assert "Good CV" in body  # the history row is in the swapped fragment


def test_competency_edit_rejects_missing_anchor(position: Position) -> None:
    competency = position.competencies.first()
    assert competency is not None
    client = client_for(position.hiring_manager)
    data = {
        "name": "Renamed", "kind": competency.kind, "weight": 2, "description": "",
        "anchor_1": "a", "anchor_2": "b", "anchor_3": "", "anchor_4": "d", "anchor_5": "e",
    }  # fmt: skip
    response = client.post(reverse("competency-edit", args=[position.pk, competency.pk]), data)
    assert response.status_code == 400
    assert "anchor_3" in response.context["form"].errors
    competency.refresh_from_db()
    assert competency.name != "Renamed"


def test_company_profile_saves_values(admin_user: User) -> None:
    data = {
        "name": "Acme", "mission": "Build", "expectations": "", "career_progression": "",
        "professional_development": "", "growth_support": "",
        "v-TOTAL_FORMS": "2", "v-INITIAL_FORMS": "0", "v-MIN_NUM_FORMS": "0",
        "v-MAX_NUM_FORMS": "1000",
        "v-0-name": "Care", "v-0-description": "", "v-0-behaviours": "Listens\nFollows up",
        "v-1-name": "", "v-1-description": "", "v-1-behaviours": "",
    }  # fmt: skip
    response = client_for(admin_user).post(reverse("company"), data)
    assert response.status_code == 302
    profile = CompanyProfile.objects.get()
    assert profile.name == "Acme"
    assert profile.values.get().behaviour_list == ["Listens", "Follows up"]


def test_company_profile_missing_name_is_refused(admin_user: User) -> None:
    data = {"name": "", "v-TOTAL_FORMS": "0", "v-INITIAL_FORMS": "0"}
    response = client_for(admin_user).post(reverse("company"), data)
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    assert not CompanyProfile.objects.exists()


def test_home_page_lists_finalists_for_the_manager(position: Position) -> None:
    application = make_application(position, name="Final Ist")
    application.stage = Stage.SECOND_ROUND
    application.save()
    body = client_for(position.hiring_manager).get(reverse("home")).content.decode()
    assert "Final Ist" in body
    assert position.title in body


def test_api_token_page_shows_the_key_once(manager: User) -> None:
    client = client_for(manager)
    response = client.post(reverse("api-tokens"), {"name": "laptop script"})
    key = response.context["new_key"]
    assert key.startswith("sr_")
    assert key not in client.get(reverse("api-tokens")).content.decode()
    assert manager.api_tokens.get().key_hash != key
