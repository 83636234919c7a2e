"""Ids are bounded integers everywhere; the API refuses what it cannot apply (issue #10, 10–11)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.debrief.models import Decision
from secondround.hiring.models import Position
from secondround.ids import MAX_ID, IdMultipleChoiceField, is_valid_id
from secondround.loops.models import Seat
from secondround.questions.models import Question
from secondround.scorecards.models import Scorecard, ScorecardStatus
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.demo_cache import load_demo

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def engineering() -> Position:
    load_demo()
    return Position.objects.get(title="Senior software engineer")


def test_an_id_is_a_whole_number_in_the_range_of_a_key() -> None:
    assert is_valid_id("1") and is_valid_id(MAX_ID) and is_valid_id(str(MAX_ID))
    for bad in ("0", "-1", str(MAX_ID + 1), HUGE, "1.5", "abc", "", "١٢", True, None, 2.0):
        assert not is_valid_id(bad), bad


def test_applications_filtered_by_a_position_id_past_64_bits(manager: User) -> None:
    response = Api(manager).get(f"/applications?position_id={2**63}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "position_id"


def test_api_path_ids_past_64_bits_are_422(manager: User) -> None:
    response = Api(manager).get(f"/positions/{HUGE}")
    assert response.status_code == 422
    assert "position_id" in str(response.json())


def test_a_decision_with_a_30_digit_competency(engineering: Position) -> None:
    finalist = engineering.applications.get(candidate__full_name="Jordan Ellis")
    response = client_for(engineering.hiring_manager).post(
        reverse("decision", args=[engineering.pk, finalist.pk]),
        {"decision": "hire", "competencies": [HUGE], "reasons": "x", "next_step": "Offer"},
    )
    assert response.status_code == 400  # the decision page answers a refused form with 400
    assert HUGE in response.content.decode()  # "“999…” is not a valid value."
    assert not Decision.objects.filter(application=finalist).exists()


@pytest.mark.parametrize("field", ["recruiters", "interviewers"])
def test_a_30_digit_recruiter_or_panel_member(engineering: Position, field: str) -> None:
    before = list(getattr(engineering, field).values_list("pk", flat=True))
    response = client_for(engineering.hiring_manager).post(
        reverse("position-edit", args=[engineering.pk]),
        {"title": engineering.title, "status": engineering.status, field: [HUGE]},
    )
    assert response.status_code == 400 and "is not a valid value" in response.content.decode()
    assert list(getattr(engineering, field).values_list("pk", flat=True)) == before


def test_a_30_digit_seat_competency(engineering: Position) -> None:
    seat = Seat.objects.filter(session__plan__position=engineering).first()
    assert seat is not None
    before = list(seat.competencies.values_list("pk", flat=True))
    response = client_for(engineering.hiring_manager).post(
        reverse("seat-competencies", args=[engineering.pk, seat.pk]), {"competencies": [HUGE]}
    )
    assert response.status_code < 500
    assert list(seat.competencies.values_list("pk", flat=True)) == before


def test_the_multiple_choice_field_names_the_bad_value() -> None:
    field = IdMultipleChoiceField(queryset=Question.objects.all())
    with pytest.raises(Exception, match=HUGE):
        field.clean([HUGE])


def test_a_rating_for_a_competency_outside_the_seat_is_422_and_changes_nothing(
    engineering: Position,
) -> None:
    submitted = Scorecard.objects.filter(
        round=Scorecard.Round.TWO, status=ScorecardStatus.SUBMITTED
    )
    seat = next(
        s
        for s in Seat.objects.filter(session__plan__position=engineering).exclude(
            session__competency_kinds=[]
        )
        if not submitted.filter(interviewer=s.interviewer).exists()
    )
    finalist = engineering.applications.get(candidate__full_name="Jordan Ellis")
    outside = engineering.competencies.exclude(pk__in=seat.competencies.all()).first()
    assert outside is not None
    before = Scorecard.objects.filter(interviewer=seat.interviewer, application=finalist).first()
    response = Api(seat.interviewer).post(
        f"/seats/{seat.pk}/scorecards/{finalist.pk}",
        {
            "ratings": [{"competency_id": outside.pk, "rating": 4, "notes": "Clear answer."}],
            "recommendation": "yes",
            "confidence": 4,
            "submit": True,
        },
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["body", "ratings"]
    assert str(outside.pk) in response.json()["detail"][0]["msg"]
    after = Scorecard.objects.filter(interviewer=seat.interviewer, application=finalist)
    assert not after.filter(status=ScorecardStatus.SUBMITTED).exists()
    if before is None:
        assert not after.exists()


def test_api_reads_refused_say_read_not_change(engineering: Position) -> None:
    interviewer = engineering.interviewers.exclude(pk=engineering.hiring_manager_id).first()
    assert interviewer is not None
    finalist = engineering.applications.get(candidate__full_name="Jordan Ellis")
    response = Api(interviewer).get(f"/applications/{finalist.pk}/decision")
    assert response.status_code == 403
    assert "read" in response.json()["detail"] and "change" not in response.json()["detail"]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "abc", "/\\evil"])
def test_retiring_a_question_never_redirects_off_site(engineering: Position, target: str) -> None:
    manager = engineering.hiring_manager
    question = Question.objects.filter(retired=False).first()
    assert question is not None
    response = client_for(manager).post(
        reverse("question-retire", args=[question.pk]), {"retired": "1", "next": target}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("question-bank")


def test_retiring_a_question_goes_back_to_a_page_of_the_site(engineering: Position) -> None:
    manager = engineering.hiring_manager
    question = Question.objects.filter(retired=False).first()
    assert question is not None
    response = client_for(manager).post(
        reverse("question-retire", args=[question.pk]),
        {"retired": "1", "next": "/questions/?q=design"},
    )
    assert response["Location"] == "/questions/?q=design"
