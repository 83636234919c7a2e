"""One rule for a private link's life (prep/access.py, prep/private_link.py): each part the
link can open (kit, portal, schedule, letter, survey) in each state of the application."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondround.accounts.models import Role
from secondround.hiring.models import Application, Stage
from secondround.prep import services
from secondround.prep.access import LinkPart, private_link_access
from secondround.prep.models import InviteLink
from tests.factories import UserFactory, make_finalist, make_position

PREPARING = {"kit", "portal", "schedule", "letter", "survey"}
AFTER_OUTCOME = {"portal", "letter", "survey"}
EXPECTED_OPEN = {
    Stage.APPLIED: set(),
    Stage.FIRST_ROUND: set(),
    Stage.SECOND_ROUND: PREPARING,
    Stage.DECISION: PREPARING,
    Stage.OFFER: PREPARING,
    Stage.HIRED: AFTER_OUTCOME,
    Stage.REJECTED: AFTER_OUTCOME,
    Stage.WITHDRAWN: AFTER_OUTCOME,
}


@pytest.fixture
def finalist_link(db: None) -> tuple[Application, InviteLink, str]:
    manager = UserFactory(role=Role.HIRING_MANAGER)
    recruiter = UserFactory(role=Role.RECRUITER, email="rhea@recruit.example")
    position = make_position(manager, recruiters=[recruiter])
    application = make_finalist(position)
    link, token = services.create_invite_link(actor=recruiter, application=application)
    return application, link, token


def _set_stage(application: Application, stage: str) -> None:
    Application.objects.filter(pk=application.pk).update(stage=stage)


def _access(link: InviteLink) -> dict[str, str | None]:
    fresh = InviteLink.objects.select_related("application").get(pk=link.pk)
    access = private_link_access(fresh)
    return {part.value: access.refusal(part) for part in LinkPart}


@pytest.mark.parametrize("stage", list(EXPECTED_OPEN))
def test_each_part_opens_only_in_the_states_the_rule_names(
    finalist_link: tuple[Application, InviteLink, str], stage: str
) -> None:
    application, link, _token = finalist_link
    _set_stage(application, stage)
    refusals = _access(link)
    assert {part for part, why in refusals.items() if why is None} == EXPECTED_OPEN[stage]
    assert {why for why in refusals.values() if why} <= {"closed"}


@pytest.mark.parametrize(
    "change, reason",
    [
        ({"revoked_at": timezone.now()}, "revoked"),
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, "expired"),
    ],
)
@pytest.mark.parametrize("stage", [Stage.SECOND_ROUND, Stage.REJECTED])
def test_a_revoked_or_expired_link_opens_nothing_in_any_state(
    finalist_link: tuple[Application, InviteLink, str], change: dict, reason: str, stage: str
) -> None:
    application, link, _token = finalist_link
    _set_stage(application, stage)
    InviteLink.objects.filter(pk=link.pk).update(**change)
    assert set(_access(link).values()) == {reason}


# --- the same rule through every candidate page -------------------------------------------------


def _urls(token: str) -> dict[str, str]:
    return {
        "kit": reverse("prep-invitation", args=[token]) + "?to=kit",
        "portal": reverse("portal", args=[token]),
        "schedule": reverse("candidate-schedule", args=[token]),
        "letter": reverse("feedback-letter-candidate", args=[token]),
        "survey": reverse("survey-candidate", args=[token]),
    }


@pytest.mark.parametrize("stage", [Stage.SECOND_ROUND, Stage.REJECTED, Stage.HIRED])
def test_every_candidate_page_follows_the_rule(
    finalist_link: tuple[Application, InviteLink, str], stage: str
) -> None:
    application, _link, token = finalist_link
    _set_stage(application, stage)
    for part, url in _urls(token).items():
        response = Client().get(url)
        if part in EXPECTED_OPEN[stage]:
            assert response.status_code in (200, 302), (part, response.status_code)
        else:
            assert response.status_code == 410, (part, response.status_code)
            body = response.content.decode()
            assert "mailto:rhea@recruit.example" in body, part
            assert f'href="{reverse("portal", args=[token])}"' in body, part  # back to the page


def test_the_landing_link_still_shows_the_page_after_the_outcome(
    finalist_link: tuple[Application, InviteLink, str],
) -> None:
    application, _link, token = finalist_link
    _set_stage(application, Stage.REJECTED)
    response = Client().get(reverse("prep-invitation", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse("portal", args=[token])


def test_a_kit_opened_before_the_outcome_closes_with_it(
    finalist_link: tuple[Application, InviteLink, str],
) -> None:
    application, _link, token = finalist_link
    candidate = Client()
    landing = candidate.get(reverse("prep-invitation", args=[token]) + "?to=kit")
    assert landing.status_code == 302
    assert candidate.get(landing["Location"]).status_code == 200
    _set_stage(application, Stage.HIRED)
    closed = candidate.get(landing["Location"])
    assert closed.status_code == 410
    assert "mailto:rhea@recruit.example" in closed.content.decode()


@pytest.mark.parametrize("change", [{"revoked_at": timezone.now()}, {"expires_at": timezone.now()}])
def test_a_dead_link_is_410_on_every_page_with_the_recruiters_address(
    finalist_link: tuple[Application, InviteLink, str], change: dict
) -> None:
    _application, link, token = finalist_link
    InviteLink.objects.filter(pk=link.pk).update(**change)
    for part, url in _urls(token).items():
        response = Client().get(url)
        assert response.status_code == 410, part
        assert response["Cache-Control"].startswith("max-age=0"), part
        assert "mailto:rhea@recruit.example" in response.content.decode(), part


def test_an_unknown_token_is_404_on_every_page_and_names_nobody(db: None) -> None:
    for part, url in _urls("prep_not-a-real-token").items():
        response = Client().get(url)
        assert response.status_code == 404, part
        assert "mailto:" not in response.content.decode(), part


def test_the_refusal_speaks_the_candidates_language(
    finalist_link: tuple[Application, InviteLink, str],
) -> None:
    application, link, token = finalist_link
    application.candidate.language = "de"
    application.candidate.save(update_fields=["language"])
    InviteLink.objects.filter(pk=link.pk).update(expires_at=timezone.now())
    response = Client().get(reverse("feedback-letter-candidate", args=[token]))
    assert response.status_code == 410
    assert "Dieser Link ist abgelaufen" in response.content.decode()
