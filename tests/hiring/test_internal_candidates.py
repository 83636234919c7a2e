"""Internal candidates: a colleague may apply, but never sits on the team that assesses them
(adding, editing the team, seating, rating by hand or by import, the planner's panel)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring import services as hiring_services
from secondround.hiring.models import Application, Candidate, Position
from secondround.loops import selectors as loop_selectors
from secondround.loops import services as loop_services
from secondround.loops.models import LoopPlan, Seat, SessionKind
from secondround.scorecards.importer import ImportRejected
from secondround.scorecards.models import Rating
from secondround.scorecards.services import import_first_round, save_round_one_scorecard
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import UserFactory, make_application

pytestmark = pytest.mark.django_db


def apply_as(position: Position, colleague: User) -> Application:
    """The colleague applies, their email typed in another case, as people do."""
    return hiring_services.add_candidate_to_position(
        actor=position.hiring_manager,
        position=position,
        fields={"full_name": colleague.full_name, "email": colleague.email.upper()},
    )


def test_a_colleague_off_the_team_may_apply(position: Position) -> None:
    colleague = UserFactory()
    application = apply_as(position, colleague)
    assert application.candidate.email == colleague.email.lower()


@pytest.mark.parametrize("member", ["manager", "recruiter", "panel_interviewer"])
def test_a_team_member_cannot_be_added_as_a_candidate(
    position: Position, member: str, request: pytest.FixtureRequest
) -> None:
    person: User = request.getfixturevalue(member)
    with pytest.raises(ValidationError) as error:
        apply_as(position, person)
    assert person.email.lower() in error.value.message_dict["email"][0]
    assert not Candidate.objects.exists() and not Application.objects.exists()


def test_the_page_and_the_api_refuse_a_team_members_email_by_field(
    position: Position, panel_interviewer: User
) -> None:
    page = client_for(position.hiring_manager).post(
        reverse("candidate-add", args=[position.pk]),
        {"full_name": "Pat Panel", "email": panel_interviewer.email},
    )
    assert page.status_code == 400 and "hiring team or panel" in page.content.decode()
    api = Api(position.hiring_manager).post(
        "/applications",
        {
            "position_id": position.pk,
            "candidate": {"full_name": "P", "email": panel_interviewer.email},
        },
    )
    assert api.status_code in (400, 422) and "email" in str(api.json()["detail"])
    assert not Application.objects.exists()


def test_an_applicant_cannot_join_the_team_and_nothing_changes(position: Position) -> None:
    colleague = UserFactory()
    apply_as(position, colleague)
    before = set(position.interviewers.all())
    with pytest.raises(ValidationError) as error:
        hiring_services.update_position(
            actor=position.hiring_manager, position=position, fields={}, interviewers=[colleague]
        )
    assert colleague.email in error.value.message_dict["interviewers"][0]
    assert set(position.interviewers.all()) == before


def test_a_candidate_cannot_take_a_team_members_email(position: Position, recruiter: User) -> None:
    candidate = make_application(position).candidate
    with pytest.raises(ValidationError) as error:
        hiring_services.update_candidate(
            actor=position.hiring_manager, candidate=candidate, fields={"email": recruiter.email}
        )
    assert "email" in error.value.message_dict
    candidate.refresh_from_db()
    assert candidate.email != recruiter.email


def test_no_hand_entered_or_imported_round_one_ratings_by_an_applicant(position: Position) -> None:
    colleague = UserFactory()
    apply_as(position, colleague)
    rival = make_application(position, name="Ada Byron")
    with pytest.raises(ValidationError) as error:
        save_round_one_scorecard(
            actor=position.hiring_manager, application=rival, interviewer=colleague, ratings={}
        )
    assert "interviewer" in error.value.message_dict
    header = "candidate_email,interviewer_email,competency,rating,confidence,notes,concern\n"
    text = header + f"{rival.candidate.email},{colleague.email},System design,4,4,x,no\n"
    with pytest.raises(ImportRejected) as rejected:
        import_first_round(
            actor=position.hiring_manager, filename="r1.csv", content=text.encode(),
            position=position,
        )  # fmt: skip
    problems = [str(p) for p in rejected.value.problems]
    assert len(problems) == 1 and "line 2" in problems[0] and "interviewer_email" in problems[0]
    assert not Rating.objects.exists()


def test_an_applicant_left_on_an_old_panel_is_neither_planned_nor_seated() -> None:
    load_demo()
    engineering = Position.objects.get(title="Senior software engineer")
    plan = LoopPlan.objects.get(position=engineering)
    seat = Seat.objects.filter(session__plan=plan, session__kind=SessionKind.DEEP_DIVE).first()
    assert seat is not None
    colleague = UserFactory()
    engineering.interviewers.add(colleague)  # on the panel before the rule existed
    Application.objects.create(  # and applied, as old data might have it
        position=engineering,
        candidate=Candidate.objects.create(full_name="C", email=colleague.email.lower()),
    )
    assert colleague not in loop_selectors.panel(engineering)
    sitting = seat.interviewer
    with pytest.raises(ValidationError) as error:
        loop_services.swap_seat_interviewer(
            actor=engineering.hiring_manager, seat=seat, interviewer=colleague
        )
    assert colleague.email in error.value.message_dict["interviewer"][0]
    seat.refresh_from_db()
    assert seat.interviewer == sitting
