"""Job seekers are outside the organisation: never offered, added, seated or let in (#10 item 3)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secondround.accounts.models import Role, User
from secondround.hiring import selectors as hiring_selectors
from secondround.hiring import services as hiring_services
from secondround.hiring.models import Position
from secondround.loops import selectors as loop_selectors
from secondround.loops import services as loop_services
from secondround.loops.models import LoopPlan, Seat, SessionKind
from tests.conftest import client_for
from tests.demo_cache import load_demo
from tests.factories import UserFactory, make_application, make_position

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeker() -> User:
    return UserFactory(role=Role.JOB_SEEKER, email="robin@seeker.example")


def test_position_edit_pickers_offer_no_job_seeker(
    position: Position, manager: User, seeker: User
) -> None:
    page = client_for(manager).get(reverse("position-edit", args=[position.pk]))
    team = page.context["team"]
    for field in ("recruiters", "interviewers"):
        offered = list(team.fields[field].queryset)
        assert seeker not in offered
        assert manager in offered
    assert seeker.full_name not in page.content.decode()


def test_posting_a_job_seeker_into_the_team_is_refused_and_changes_nothing(
    position: Position, manager: User, seeker: User
) -> None:
    before = set(position.recruiters.all())
    response = client_for(manager).post(
        reverse("position-edit", args=[position.pk]),
        {
            "title": position.title,
            "department": position.department_id,
            "status": position.status,
            "recruiters": [seeker.pk],
            "interviewers": [],
        },
    )
    assert response.status_code == 400
    assert "recruiters" in response.context["team"].errors
    assert set(position.recruiters.all()) == before


def test_update_position_service_refuses_job_seekers(
    position: Position, manager: User, seeker: User
) -> None:
    with pytest.raises(ValidationError) as error:
        hiring_services.update_position(
            actor=manager, position=position, fields={}, interviewers=[seeker]
        )
    assert "interviewers" in error.value.message_dict
    assert seeker.email in error.value.message_dict["interviewers"][0]
    assert not position.interviewers.filter(pk=seeker.pk).exists()


def test_update_position_service_refuses_deactivated_colleagues(
    position: Position, manager: User
) -> None:
    gone = UserFactory(is_active=False)
    with pytest.raises(ValidationError) as error:
        hiring_services.update_position(
            actor=manager, position=position, fields={}, recruiters=[gone]
        )
    assert "recruiters" in error.value.message_dict


def test_creating_a_position_refuses_job_seekers_and_saves_nothing(
    manager: User, seeker: User
) -> None:
    with pytest.raises(ValidationError) as error:
        make_position(manager, recruiters=[seeker])
    assert "recruiters" in error.value.message_dict
    assert not Position.objects.exists()


def test_an_old_membership_gives_a_job_seeker_no_access(position: Position, seeker: User) -> None:
    """Memberships stored before the rule existed must not open anything."""
    application = make_application(position)
    position.recruiters.add(seeker)
    position.interviewers.add(seeker)
    assert not hiring_selectors.visible_positions(seeker).exists()
    assert not hiring_selectors.managed_positions(seeker).exists()
    assert not hiring_selectors.can_manage_position(seeker, position)
    assert not hiring_selectors.visible_applications(seeker).exists()
    client = client_for(seeker)
    assert client.get(reverse("application", args=[application.pk])).status_code == 404
    assert client.get(reverse("position-edit", args=[position.pk])).status_code == 404
    assert client.get(reverse("debrief", args=[position.pk])).status_code == 404
    assert client.get(reverse("round-two", args=[position.pk])).status_code == 404
    api = client.get(f"/api/v1/applications/{application.pk}")
    assert api.status_code == 404


def test_the_planner_never_seats_a_job_seeker_on_an_old_panel() -> None:
    load_demo()
    engineering = Position.objects.get(title="Senior software engineer")
    seeker = User.objects.get(email="robin@seeker.example")
    engineering.interviewers.add(seeker)
    engineering.recruiters.add(seeker)
    assert seeker not in loop_selectors.panel(engineering)
    # The demo's loop is accepted: proposing again needs the confirmation of what changes.
    token = loop_services.loop_fingerprint(position=engineering, time_budget_minutes=300)
    plan = loop_services.propose_loop(
        actor=engineering.hiring_manager,
        position=engineering,
        time_budget_minutes=300,
        confirmed=token,
    )
    assert not Seat.objects.filter(session__plan=plan, interviewer=seeker).exists()


def test_swapping_a_job_seeker_into_a_seat_is_refused() -> None:
    load_demo()
    engineering = Position.objects.get(title="Senior software engineer")
    seeker = User.objects.get(email="robin@seeker.example")
    seat = Seat.objects.filter(
        session__plan=LoopPlan.objects.get(position=engineering),
        session__kind=SessionKind.DEEP_DIVE,
    ).first()
    assert seat is not None
    sitting = seat.interviewer
    with pytest.raises(ValidationError) as error:
        loop_services.swap_seat_interviewer(
            actor=engineering.hiring_manager, seat=seat, interviewer=seeker
        )
    assert "interviewer" in error.value.message_dict
    seat.refresh_from_db()
    assert seat.interviewer == sitting


def test_a_job_seeker_cannot_be_a_round_one_interviewer(
    position: Position, manager: User, seeker: User
) -> None:
    from secondround.scorecards.importer import ImportRejected
    from secondround.scorecards.models import Scorecard
    from secondround.scorecards.services import import_first_round, save_round_one_scorecard

    application = make_application(position)
    text = (
        "candidate_email,interviewer_email,competency,rating,confidence,notes,concern\n"
        f"{application.candidate.email},{seeker.email},System design,3,3,,no\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        import_first_round(
            actor=manager, filename="r1.csv", content=text.encode(), position=position
        )
    assert "interviewer_email" in str(rejected.value.problems[0])
    competency = position.competencies.first()
    assert competency is not None
    with pytest.raises(ValidationError) as error:
        save_round_one_scorecard(
            actor=manager, application=application, interviewer=seeker,
            ratings={competency.pk: {"rating": 3}},
        )  # fmt: skip
    assert "interviewer" in error.value.message_dict
    assert not Scorecard.objects.exists()
    page = client_for(manager).get(reverse("round-one-entry", args=[application.pk]))
    assert page.status_code == 200
    assert f">{seeker.full_name}</option>" not in page.content.decode()
    assert f">{manager.full_name}</option>" in page.content.decode()
