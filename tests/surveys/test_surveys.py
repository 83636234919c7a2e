"""The candidate experience survey: answered on the private link, replaced not doubled,
results only in groups of five, hidden from the hiring team until every decision is in."""

from __future__ import annotations

import html

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring.models import Application, Position
from secondround.prep.services import create_invite_link
from secondround.surveys import selectors, services
from secondround.surveys.models import COMMENT_MAX, STATEMENT_KEYS, SurveyResponse
from tests.conftest import client_for
from tests.factories import UserFactory, make_finalist, submit_round_two
from tests.feedback.helpers import decide

pytestmark = pytest.mark.django_db

DISTINCT_COMMENT = "Periwinkle: the second interviewer was late and never apologised."


def _form(value: int = 4, recommend: int = 8, comment: str = "") -> dict[str, object]:
    return {**dict.fromkeys(STATEMENT_KEYS, value), "recommend": recommend, "comment": comment}


def _interviewed(position: Position, name: str, interviewers: list[User]) -> Application:
    """A finalist whose loop is done: each interviewer submitted a round-two scorecard."""
    application = make_finalist(position, name=name)
    for person in interviewers:
        submit_round_two(application, person, {})
    return application


def _answer(application: Application, value: int = 4, **extra: object) -> SurveyResponse:
    data = _form(value)
    return services.submit_survey(
        application=application, moment="after_loop",
        answers={k: data[k] for k in STATEMENT_KEYS}, recommend=data["recommend"],
        comment=str(extra.get("comment", "")),
    )  # fmt: skip


@pytest.fixture
def raters(position: Position) -> list[User]:
    people = [UserFactory(full_name=n) for n in ("Ada Often", "Ben Sometimes")]
    position.interviewers.add(*people)
    return people


def test_the_candidate_answers_on_their_link_and_a_second_answer_replaces_the_first(
    position: Position, raters: list[User]
) -> None:
    application = _interviewed(position, "Casey Candidate", raters)
    _link, token = create_invite_link(actor=position.hiring_manager, application=application)
    client = Client()
    url = reverse("survey-candidate", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "After the interviews" in page.content.decode()
    assert client.post(url, {**_form(2), "moment": "after_loop"}).status_code == 302
    assert client.post(url, {**_form(5, 10), "moment": "after_loop"}).status_code == 302
    response = SurveyResponse.objects.get()
    assert (response.fair_chance, response.recommend, response.times_submitted) == (5, 10, 2)
    assert "Sending the form again replaces" in client.get(url).content.decode()


def test_the_survey_opens_after_the_loop_and_again_after_the_outcome(
    position: Position, raters: list[User]
) -> None:
    waiting = make_finalist(position, name="Not Yet")
    assert selectors.open_moments(waiting) == []
    with pytest.raises(ValidationError) as refused:
        _answer(waiting)
    assert "moment" in refused.value.error_dict
    done = _interviewed(position, "Loop Done", raters)
    assert selectors.open_moments(done) == ["after_loop"]
    decide(done)
    assert selectors.open_moments(done) == ["after_loop", "after_outcome"]
    assert selectors.current_moment(done) == "after_outcome"


def test_bad_answers_are_refused_by_field_and_nothing_is_half_stored(
    position: Position, raters: list[User]
) -> None:
    application = _interviewed(position, "Casey Candidate", raters)
    first = _answer(application, 3)
    _link, token = create_invite_link(actor=position.hiring_manager, application=application)
    url = reverse("survey-candidate", args=[token])
    too_long = "x" * (COMMENT_MAX + 1)
    response = Client().post(url, {**_form(5, comment=too_long), "moment": "after_loop"})
    assert response.status_code == 400
    assert 'id="id_comment_error"' in response.content.decode()
    response = Client().post(url, {**_form(9), "moment": "after_loop"})
    assert response.status_code == 400 and 'id="id_fair_chance_error"' in response.content.decode()
    response = Client().post(url, {**_form(4), "moment": "whenever"})
    assert response.status_code == 400
    assert "Not a moment of the survey" in html.unescape(response.content.decode())
    first.refresh_from_db()
    assert (first.fair_chance, first.times_submitted, first.comment) == (3, 1, "")
    with pytest.raises(ValidationError) as refused:
        _answer(application, 4, comment=too_long)
    assert set(refused.value.error_dict) == {"comment"}
    assert SurveyResponse.objects.get().fair_chance == 3


def test_a_revoked_link_answers_410(position: Position, raters: list[User]) -> None:
    application = _interviewed(position, "Casey Candidate", raters)
    link, token = create_invite_link(actor=position.hiring_manager, application=application)
    link.revoked_at = link.created_at
    link.save()
    assert Client().get(reverse("survey-candidate", args=[token])).status_code == 410
    assert Client().get(reverse("survey-candidate", args=["unknown"])).status_code == 404


def _results(user: User, position: Position, moment: str = "after_loop") -> str:
    response = client_for(user).get(
        reverse("survey-results", args=[position.pk]), {"moment": moment}
    )
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_results_show_only_from_five_responses_up(
    position: Position, raters: list[User], admin_user: User
) -> None:
    ada, ben = raters
    for number in range(4):
        _answer(_interviewed(position, f"Finalist {number}", [ada, ben]), 5)
    page = _results(admin_user, position)
    assert "fewer than 5 responses" in page
    assert "5.0" not in page and "<meter" not in page
    # A fifth candidate, met only by Ada: the position and Ada show, Ben (4) does not.
    _answer(_interviewed(position, "Finalist 4", [ada]), 3, comment=DISTINCT_COMMENT)
    page = _results(admin_user, position)
    assert "5 responses" in page and "4.6" in page  # (4 × 5 + 3) / 5
    assert "Ada Often · 5 responses" in page
    assert "Ben Sometimes: fewer than 5 responses" in page
    assert DISTINCT_COMMENT in page  # admins read comments of a group that is shown


def test_results_stay_hidden_from_the_hiring_team_until_every_decision_is_recorded(
    position: Position, raters: list[User], manager: User, admin_user: User
) -> None:
    finalists = [_interviewed(position, f"Finalist {n}", raters) for n in range(5)]
    for application in finalists:
        _answer(application, 4)
    for application in finalists[:4]:
        decide(application)
    page = _results(manager, position)
    assert "Hidden until every decision is recorded" in page and "<meter" not in page
    assert "<meter" in _results(admin_user, position)  # admins see all
    decide(finalists[4])
    page = _results(manager, position)
    assert "<meter" in page and "Hidden until" not in page


def test_no_interviewer_sees_a_response(
    position: Position, raters: list[User], panel_interviewer: User, outsider: User
) -> None:
    finalists = [_interviewed(position, f"Finalist {n}", raters) for n in range(5)]
    for application in finalists:
        _answer(application, 4, comment=DISTINCT_COMMENT)
        decide(application)
    url = reverse("survey-results", args=[position.pk])
    assert client_for(raters[0]).get(url).status_code == 403
    assert client_for(panel_interviewer).get(url).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    overview = client_for(raters[0]).get(reverse("surveys"))
    assert overview.status_code == 200 and position.title not in overview.content.decode()
    assert DISTINCT_COMMENT not in _results(position.hiring_manager, position)  # admins only


def test_a_bad_moment_in_the_results_query_is_a_400_naming_it(
    position: Position, manager: User
) -> None:
    response = client_for(manager).get(
        reverse("survey-results", args=[position.pk]), {"moment": "yesterday"}
    )
    assert response.status_code == 400 and b"moment" in response.content


def test_the_overview_says_fewer_than_five_and_hides_undecided_positions(
    position: Position, raters: list[User], manager: User, admin_user: User
) -> None:
    _answer(_interviewed(position, "Only One", raters), 4)
    assert "fewer than 5" in html.unescape(
        client_for(admin_user).get(reverse("surveys")).content.decode()
    )
    assert "Hidden until every decision is recorded" in html.unescape(
        client_for(manager).get(reverse("surveys")).content.decode()
    )


def test_the_survey_and_the_letter_speak_german(position: Position, raters: list[User]) -> None:
    application = _interviewed(position, "Casey Candidate", raters)
    _link, token = create_invite_link(actor=position.hiring_manager, application=application)
    # Every page on the private link speaks the candidate's own language (as chosen on their
    # portal), whatever the browser asks for.
    application.candidate.language = "de"
    application.candidate.save(update_fields=["language"])
    german = {"HTTP_ACCEPT_LANGUAGE": "en"}
    survey = html.unescape(
        Client().get(reverse("survey-candidate", args=[token]), **german).content.decode()
    )
    assert "Wie ist es gelaufen?" in survey and "Ich wurde mit Respekt behandelt." in survey
    assert "Stimme voll zu" in survey and "Nach den Gesprächen" in survey
    letter = html.unescape(
        Client().get(reverse("feedback-letter-candidate", args=[token]), **german).content.decode()
    )
    assert "Ihr Feedback-Schreiben ist noch nicht fertig." in letter
