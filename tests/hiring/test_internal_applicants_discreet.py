"""Staff finding: a colleague who applied was visible by name to the whole interview panel
from "applied" on. The rule now: an internal applicant (their email is an active colleague's)
is seen by the hiring team (hiring manager, recruiters) and admins from the start; the panel's
other interviewers see them only once they are invited to the loop (they have entered round
two), and from then on. External applicants are unchanged: the panel sees them throughout."""

from __future__ import annotations

import pytest
from django.urls import reverse

from secondround.accounts.models import User
from secondround.hiring import selectors
from secondround.hiring import services as hiring_services
from secondround.hiring.models import Application, Position, Stage
from tests.api.test_hiring import Api
from tests.conftest import client_for
from tests.factories import UserFactory, make_application

pytestmark = pytest.mark.django_db

NAME = "Robin Colleague"


@pytest.fixture
def internal(position: Position) -> Application:
    colleague = UserFactory(full_name=NAME, email="robin.colleague@kestrel.example")
    return hiring_services.add_candidate_to_position(
        actor=position.hiring_manager,
        position=position,
        fields={"full_name": NAME, "email": colleague.email.upper()},
    )


def move(application: Application, *stages: str) -> None:
    for stage in stages:
        hiring_services.move_application(
            actor=application.position.hiring_manager,
            application=application,
            to_stage=stage,
            reason="Test" if stage == Stage.REJECTED else "",
            no_outcome_reason="Told in person." if stage == Stage.REJECTED else "",
        )
    application.refresh_from_db()


def sees(user: User, application: Application) -> bool:
    """Every way in: the selector, the candidates list, the position page, the application
    page and the API's list."""
    found = selectors.visible_applications(user).filter(pk=application.pk).exists()
    client = client_for(user)
    pages = [
        client.get(reverse("candidates")).content.decode(),
        client.get(reverse("position", args=[application.position_id])).content.decode(),
    ]
    detail = client.get(reverse("application", args=[application.pk])).status_code
    listed = [a["id"] for a in Api(user).get("/applications").json()]
    shown = [NAME in page for page in pages] + [detail == 200, application.pk in listed]
    assert all(shown) == found and any(shown) == found, shown
    return found


def test_the_panel_does_not_see_a_colleague_who_applied(
    internal: Application, panel_interviewer: User
) -> None:
    assert not sees(panel_interviewer, internal)
    move(internal, Stage.FIRST_ROUND)
    assert not sees(panel_interviewer, internal)
    assert (
        not selectors.visible_candidates(panel_interviewer)
        .filter(pk=internal.candidate_id)
        .exists()
    )


def test_the_hiring_team_and_admins_see_them_from_the_start(
    internal: Application, manager: User, recruiter: User, admin_user: User
) -> None:
    for person in (manager, recruiter, admin_user):
        assert sees(person, internal)


def test_the_panel_sees_them_once_invited_to_the_loop_and_after(
    internal: Application, panel_interviewer: User
) -> None:
    move(internal, Stage.FIRST_ROUND, Stage.SECOND_ROUND)
    assert sees(panel_interviewer, internal)
    move(internal, Stage.REJECTED)
    assert sees(panel_interviewer, internal)


def test_a_colleague_rejected_before_the_loop_stays_unseen(
    internal: Application, panel_interviewer: User
) -> None:
    move(internal, Stage.REJECTED)
    assert not sees(panel_interviewer, internal)


def test_external_applicants_are_seen_by_the_panel_as_before(
    position: Position, panel_interviewer: User
) -> None:
    external = make_application(position, name="Sam Outside")
    assert selectors.visible_applications(panel_interviewer).filter(pk=external.pk).exists()
    page = client_for(panel_interviewer).get(reverse("position", args=[position.pk]))
    assert "Sam Outside" in page.content.decode()
